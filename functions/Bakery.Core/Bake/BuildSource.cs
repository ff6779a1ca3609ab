namespace Bakery.Core.Bake;

/// <summary>
/// The build file in S3: <see cref="Key"/> is the build file's object, <see cref="Prefix"/> the bundle root
/// it and every file it references live under (paths that leave it are refused).
/// </summary>
public sealed record BuildSource
{
    public required string Bucket { get; init; }
    public required string Key { get; init; }
    public required string Prefix { get; init; }
    public string? VersionId { get; init; }
    public string? ETag { get; init; }
    /// <summary>Variables given with the trigger (<c>-var</c> equivalents); sensitive ones are masked.</summary>
    public IReadOnlyDictionary<string, string> Vars { get; set; } = new Dictionary<string, string>();
}
