namespace Bakery.BuildFiles.Model;

/// <summary>Packer's <c>source_ami_filter</c>: DescribeImages filters and owners; <c>most_recent</c> picks the newest.</summary>
public sealed record SourceAmiFilter
{
    public IReadOnlyDictionary<string, string> Filters { get; set; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Owners { get; set; } = [];
    public bool MostRecent { get; init; }
}
