namespace Bakery.Local.Instances;

/// <summary>
/// Where the stand-in keeps its local instances and images: <c>BAKERY_LOCAL_INSTANCES</c>, else
/// <c>${BAKERY_CACHE:-~/.cache/bakery}/local</c> (outside the repository, beside moto's installation). Images outlive the
/// stand-in that made them, so <c>bakery local run AMI</c> works after <c>bakery build</c> ended.
/// </summary>
public sealed record LocalInstancePaths(string Root)
{
    public const string EnvironmentVariable = "BAKERY_LOCAL_INSTANCES";

    public string Images => Path.Combine(Root, "images");

    public string Instances => Path.Combine(Root, "instances");

    public static LocalInstancePaths Default()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return new LocalInstancePaths(Path.GetFullPath(configured));
        }

        return new LocalInstancePaths(Path.Combine(CacheRoot(), "local"));
    }

    /// <summary>The cache moto.sh and base-image.sh use.</summary>
    public static string CacheRoot() =>
        Environment.GetEnvironmentVariable("BAKERY_CACHE") is { Length: > 0 } cache
            ? cache
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "bakery");
}
