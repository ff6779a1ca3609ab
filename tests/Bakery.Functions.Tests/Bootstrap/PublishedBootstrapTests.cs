using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bakery.Core.Exceptions;
using Bakery.Local.Lambda;
using Bakery.Testing;

namespace Bakery.Functions.Tests.Bootstrap;

/// <summary>The published Native AOT bootstrap: what Lambda's provided.al2023 needs of the file, and real steps under the local Lambda service.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed partial class PublishedBootstrapTests
{
    [Fact]
    public async Task The_bootstrap_is_stripped_smaller_than_20_MB_and_needs_at_most_GLIBC_2_34()
    {
        var bootstrap = await PublishedBootstrap.GetPathAsync();

        var symbols = await RunAsync("objdump", "-T", bootstrap);
        var newest = GlibcVersion().Matches(symbols).Select(match => Version.Parse(match.Groups[1].Value)).Max();
        Assert.NotNull(newest);
        Assert.True(newest <= new Version(2, 34), $"bootstrap needs GLIBC_{newest}; Amazon Linux 2023 has 2.34");
        Assert.Contains(", stripped", await RunAsync("file", bootstrap), StringComparison.Ordinal);
        Assert.InRange(new FileInfo(bootstrap).Length, 1, 20L * 1024 * 1024);
    }

    [Fact]
    public async Task A_real_step_runs_in_the_bootstrap_and_returns_its_state()
    {
        await using var service = await StartAsync();

        var (headers, body) = await InvokeAsync(service, "TeardownFunction", """{"buildId":"b-teardown","created":{},"removed":{},"wait":{"done":true}}""");

        Assert.False(headers.Contains("X-Amz-Function-Error"), body);
        var state = JsonDocument.Parse(body).RootElement;
        Assert.Equal("b-teardown", state.GetProperty("buildId").GetString());
        Assert.True(state.GetProperty("wait").GetProperty("done").GetBoolean());
        var log = await File.ReadAllTextAsync(Path.Combine(service.LogDirectory, "TeardownFunction.log"));
        Assert.Contains("\"step\":\"Teardown\"", log, StringComparison.Ordinal);
        Assert.Contains("\"buildId\":\"b-teardown\"", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"buildId":"b-launch"}""", nameof(BuildInputInvalid))]
    [InlineData("""{"buildId":""", nameof(BuildInputInvalid))]
    public async Task A_failing_step_arrives_with_its_error_name(string input, string errorType)
    {
        await using var service = await StartAsync();

        var (headers, body) = await InvokeAsync(service, "LaunchFunction", input);

        Assert.Equal("Unhandled", headers.GetValues("X-Amz-Function-Error").Single());
        Assert.Equal(errorType, JsonDocument.Parse(body).RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task An_unknown_handler_fails_init_naming_the_valid_handlers()
    {
        await using var service = await StartAsync();

        var (headers, body) = await InvokeAsync(service, "BakeFunction", "{}");

        Assert.Equal("Unhandled", headers.GetValues("X-Amz-Function-Error").Single());
        var error = JsonDocument.Parse(body).RootElement;
        Assert.Equal("UnknownHandlerException", error.GetProperty("errorType").GetString());
        Assert.Contains("Prepare, Launch", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    private static async Task<LocalLambdaService> StartAsync() => await LocalLambdaService.StartAsync(new LocalLambdaOptions
    {
        TemplatePath = Path.Combine(AppContext.BaseDirectory, "resources", "template-bootstrap.yaml"),
        BootstrapPath = await PublishedBootstrap.GetPathAsync(),
        // Nothing here may reach AWS: a closed local port makes any call fail fast instead.
        Environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9",
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
        },
        ParameterValues = new Dictionary<string, string> { ["TemplatesBucket"] = "bakery-templates" },
        LogDirectory = Path.Combine(Path.GetTempPath(), $"bakery-bootstrap-test-{Guid.NewGuid():N}"),
    });

    private static async Task<(System.Net.Http.Headers.HttpResponseHeaders Headers, string Body)> InvokeAsync(LocalLambdaService service, string function, string payload)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(service.Endpoint, $"/2015-03-31/functions/{function}/invocations"), new StringContent(payload, Encoding.UTF8));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Headers, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> RunAsync(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return output;
    }

    [GeneratedRegex(@"GLIBC_(\d+\.\d+(?:\.\d+)?)")]
    private static partial Regex GlibcVersion();
}
