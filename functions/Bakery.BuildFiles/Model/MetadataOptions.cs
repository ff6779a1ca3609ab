namespace Bakery.BuildFiles.Model;

/// <summary>Packer's <c>metadata_options</c>. Bakery requires IMDSv2 (<c>http_tokens: required</c>) unless this says otherwise.</summary>
public sealed record MetadataOptions
{
    public string? HttpEndpoint { get; init; }
    public string? HttpTokens { get; init; }
    public int? HttpPutResponseHopLimit { get; init; }
    public string? InstanceMetadataTags { get; init; }
}
