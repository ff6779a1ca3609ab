using Xunit;

namespace Bakery.Testing.Moto;

/// <summary>
/// The local AWS stand-in for a test assembly: a moto server on a free loopback port, started through
/// <c>infra/local/moto.sh</c>, with this process pointed at it through the standard AWS variables only
/// (<c>AWS_ENDPOINT_URL</c>, test credentials, <c>us-east-1</c>, <c>AWS_REQUEST_CHECKSUM_CALCULATION</c>), so product code needs no change.
/// </summary>
/// <remarks>
/// Use it as the fixture of the assembly's one moto collection (see <see cref="MotoCollection"/>): the
/// variables are process-wide, so tests that talk to moto must not run in parallel collections.
/// Several fixtures in one process share one server, which stops when the last one is disposed.
/// </remarks>
public sealed class MotoFixture : IAsyncLifetime
{
    private MotoServer? _server;

    /// <summary>
    /// The stand-in's endpoint, e.g. <c>http://127.0.0.1:41234</c>: the stand-in's proxy, which answers as AWS does where
    /// moto does not (tools/Bakery.Local/Aws/MotoGaps), in front of moto.
    /// </summary>
    public Uri Endpoint => Server.Endpoint;

    /// <summary>moto itself, for tests of the stand-in's own bridges.</summary>
    public Uri MotoEndpoint => Server.MotoEndpoint;

    /// <summary>The variables this process was given; pass them to child processes (e.g. <c>bootstrap</c>).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => Server.EnvironmentVariables;

    private MotoServer Server => _server ?? throw new InvalidOperationException("MotoFixture is not initialized yet.");

    public async Task InitializeAsync() => _server = await MotoServer.AcquireAsync().ConfigureAwait(false);

    /// <summary>Clears every resource in moto (all services, all regions): call at the start of each test.</summary>
    public Task ResetAsync() => Server.ResetAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            _server = null;
            await MotoServer.ReleaseAsync().ConfigureAwait(false);
        }
    }
}
