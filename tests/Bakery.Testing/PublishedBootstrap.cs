using Bakery.Local.StandIn;

namespace Bakery.Testing;

/// <summary>
/// The Native AOT <c>bootstrap</c> the tests run, from the cache the CLI's local mode uses too
/// (<see cref="PublishedBootstrapCache"/>: <c>.bakery/publish/bootstrap/</c>, republished only when a source changed,
/// safe across test processes).
/// </summary>
public static class PublishedBootstrap
{
    private static readonly PublishedBootstrapCache Cache = new(RepositoryPaths.Root);

    public static string Directory => Cache.Directory;

    /// <summary>Publishes if needed and returns the path of the <c>bootstrap</c> executable.</summary>
    public static Task<string> GetPathAsync() => Cache.EnsurePublishedAsync();
}
