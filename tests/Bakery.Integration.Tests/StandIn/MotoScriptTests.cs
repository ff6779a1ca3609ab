using System.Diagnostics;
using System.Globalization;
using Amazon.S3.Model;
using Bakery.Local;
using Bakery.Testing;
using Bakery.Testing.Moto;

namespace Bakery.Integration.Tests.StandIn;

/// <summary>infra/local/moto.sh as callers use it: idempotent start, stop.</summary>
[Collection(MotoCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class MotoScriptTests(MotoFixture moto) : IAsyncLifetime
{
    private static readonly string Script = RepositoryPaths.Combine("infra", "local", "moto.sh");

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Starting_on_a_port_where_moto_runs_prints_the_same_endpoint_and_keeps_its_state()
    {
        using var s3 = StandInClients.S3();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "bakery-still-there" });

        // moto.sh manages moto itself, on MotoEndpoint; Endpoint is the proxy the tests send their calls through.
        var (exitCode, output) = await RunAsync("start", moto.MotoEndpoint.Port.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(0, exitCode);
        Assert.Equal(moto.MotoEndpoint.GetLeftPart(UriPartial.Authority), output.Trim());
        Assert.Contains((await s3.ListBucketsAsync()).Buckets ?? [], bucket => bucket.BucketName == "bakery-still-there");
    }

    [Fact]
    public async Task A_server_started_then_stopped_no_longer_answers()
    {
        var port = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
        using var http = new HttpClient();

        var (startExit, endpoint) = await RunAsync("start", port);
        using var answer = await http.PostAsync(new Uri($"{endpoint.Trim()}/moto-api/reset"), content: null);
        var (stopExit, _) = await RunAsync("stop", port);
        var (secondStopExit, _) = await RunAsync("stop", port);

        Assert.Equal(0, startExit);
        Assert.True(answer.IsSuccessStatusCode);
        Assert.Equal(0, stopExit);
        Assert.Equal(0, secondStopExit);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.PostAsync(new Uri($"{endpoint.Trim()}/moto-api/reset"), content: null));
    }

    [Fact]
    public async Task An_invalid_port_is_refused_with_a_message()
    {
        var (exitCode, _, error) = await RunWithErrorAsync("start", "not-a-port");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("not a port number", error, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var (exitCode, output, _) = await RunWithErrorAsync(arguments);
        return (exitCode, output);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunWithErrorAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
