using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Bakery.Integration.Tests.Support;

/// <summary>
/// A moto server for this test assembly: the one at <c>AWS_ENDPOINT_URL</c> when set, else <c>moto_server</c> from PATH
/// on a free loopback port. Stop-gap until the shared MotoFixture (Bakery.Testing) lands; tests only see the endpoint.
/// </summary>
public sealed class LocalMoto : IAsyncLifetime
{
    private Process? process;

    public string Endpoint { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") ?? "testing");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") ?? "testing");
        Environment.SetEnvironmentVariable("AWS_REGION", Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1");
        var existing = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
        if (!string.IsNullOrEmpty(existing))
        {
            Endpoint = existing;
            return;
        }

        var port = FreePort();
        process = Process.Start(new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("moto_server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Endpoint = $"http://127.0.0.1:{port}";
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 150; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"{Endpoint}/moto-api/"));
                if (response.IsSuccessStatusCode)
                {
                    Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", Endpoint);
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"moto_server did not answer at {Endpoint}");
    }

    public Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process?.Dispose();
        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
