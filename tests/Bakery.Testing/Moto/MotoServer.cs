using System.Diagnostics;
using System.Globalization;
using Bakery.Local;
using Bakery.Local.Aws;

namespace Bakery.Testing.Moto;

/// <summary>One moto server per test process, shared by every <see cref="MotoFixture"/> and reference counted.</summary>
internal sealed class MotoServer
{
    // The cold path installs moto (about a minute, longer on a busy machine); a warm start takes seconds.
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static MotoServer? s_current;
    private static int s_users;

    // Variables this server overrides and what they were before, restored when it stops, so a later fixture
    // (or a test that starts its own server) does not find an endpoint that no longer answers.
    private static readonly string[] ClearedVariables = ["AWS_SESSION_TOKEN", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"];

    private readonly int _port;
    private readonly Ec2ThrottlingProxy _proxy;
    private readonly Dictionary<string, string?> _previousValues = [];

    private MotoServer(int port, Uri motoEndpoint, Ec2ThrottlingProxy proxy)
    {
        _port = port;
        _proxy = proxy;
        MotoEndpoint = motoEndpoint;
        Endpoint = proxy.Endpoint;
        var endpoint = Endpoint;
        EnvironmentVariables = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = endpoint.GetLeftPart(UriPartial.Authority),
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
            ["AWS_REGION"] = "us-east-1",
            ["AWS_DEFAULT_REGION"] = "us-east-1",

            // Debian's moto 5.1.1 stores the chunk framing of the SDK's default streaming checksum uploads as
            // the object's content (moto 5.2 decodes it). This standard SDK setting sends plain bodies.
            ["AWS_REQUEST_CHECKSUM_CALCULATION"] = "when_required",
        };
    }

    /// <summary>The stand-in as the product sees it: the stand-in's proxy (which bridges moto's gaps) in front of moto.</summary>
    public Uri Endpoint { get; }

    /// <summary>moto itself.</summary>
    public Uri MotoEndpoint { get; }

    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; }

    public static string ScriptPath => RepositoryPaths.Combine("infra", "local", "moto.sh");

    public static async Task<MotoServer> AcquireAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            s_current ??= await StartAsync().ConfigureAwait(false);
            s_users++;
            return s_current;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task ReleaseAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (--s_users == 0 && s_current is not null)
            {
                var server = s_current;
                s_current = null;
                server.RestoreEnvironment();
                await server._proxy.DisposeAsync().ConfigureAwait(false);
                await RunScriptAsync("stop", server._port.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    public async Task ResetAsync()
    {
        using var http = new HttpClient { BaseAddress = Endpoint };
        using var response = await http.PostAsync(new Uri("/moto-api/reset", UriKind.Relative), content: null).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    private static async Task<MotoServer> StartAsync()
    {
        // A free port can be taken by someone else between probing and binding; moto.sh then refuses it.
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPorts.Free();
            try
            {
                var output = await RunScriptAsync(
                    "start",
                    port.ToString(CultureInfo.InvariantCulture),
                    "--owner",
                    Environment.ProcessId.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
                var moto = new Uri(output.Trim());
                var server = new MotoServer(port, moto, await Ec2ThrottlingProxy.StartAsync(moto, Ec2ThrottlePlan.None).ConfigureAwait(false));
                server.PointEnvironmentHere();
                return server;
            }
            catch (InvalidOperationException) when (attempt < attempts)
            {
            }
        }
    }

    private void PointEnvironmentHere()
    {
        foreach (var name in EnvironmentVariables.Keys.Concat(ClearedVariables))
        {
            _previousValues[name] = Environment.GetEnvironmentVariable(name);
        }

        foreach (var (name, value) in EnvironmentVariables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        // A developer's own settings must not send tests elsewhere or switch the endpoint off.
        foreach (var name in ClearedVariables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    private void RestoreEnvironment()
    {
        foreach (var (name, value) in _previousValues)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    private static async Task<string> RunScriptAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(ScriptPath);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not run {ScriptPath}.");
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"moto.sh {string.Join(' ', arguments)} did not finish within {ScriptTimeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"moto.sh {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {(await stderr.ConfigureAwait(false)).Trim()}");
        }

        return await stdout.ConfigureAwait(false);
    }
}
