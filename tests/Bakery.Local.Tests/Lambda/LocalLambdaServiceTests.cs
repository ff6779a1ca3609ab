using System.Net;
using System.Text;
using System.Text.Json;
using Bakery.Local.Lambda;
using Bakery.Testing;

namespace Bakery.Functions.Tests.Lambda;

/// <summary>The local Lambda service running resources/fake-bootstrap.sh (a curl-based runtime) as every function's bootstrap.</summary>
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class LocalLambdaServiceTests : IAsyncLifetime
{
    private readonly HttpClient http = new();
    private readonly string logDirectory = Path.Combine(Path.GetTempPath(), $"bakery-lambda-test-{Guid.NewGuid():N}");
    private LocalLambdaService service = null!;

    public async Task InitializeAsync() => service = await StartAsync(maxEnvironments: 4);

    public async Task DisposeAsync()
    {
        await service.StopAsync();
        http.Dispose();
        Directory.Delete(logDirectory, recursive: true);
    }

    [Fact]
    public async Task Invoke_runs_the_function_with_its_resolved_environment_and_the_callers()
    {
        var (status, headers, body) = await InvokeAsync("EchoFunction", """{"buildId":"b-1"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(headers.Contains("X-Amz-Function-Error"));
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("b-1", json.GetProperty("event").GetProperty("buildId").GetString());
        Assert.Equal("hello-local", json.GetProperty("greeting").GetString());
        Assert.Equal("bakery-test-bucket", json.GetProperty("bucket").GetString());
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:EchoFunction", json.GetProperty("self").GetString());
        Assert.Equal("http://127.0.0.1:1", json.GetProperty("endpoint").GetString());
        Assert.Equal("512", json.GetProperty("memory").GetString());
    }

    [Theory]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:EchoFunction")]
    [InlineData("123456789012:function:EchoFunction")]
    [InlineData("EchoFunction:$LATEST")]
    public async Task A_function_can_be_named_by_full_or_partial_ARN(string name)
    {
        var (status, _, body) = await InvokeAsync(Uri.EscapeDataString(name), "{}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"greeting\":\"hello-local\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_function_is_ResourceNotFoundException()
    {
        var (status, headers, _) = await InvokeAsync("NoSuchFunction", "{}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("ResourceNotFoundException", headers.GetValues("x-amzn-ErrorType").Single());
    }

    [Fact]
    public async Task A_warm_environment_is_reused()
    {
        var first = await InvokeAsync("EchoFunction", "{}");
        var second = await InvokeAsync("EchoFunction", "{}");

        Assert.Equal(Pid(first.Body), Pid(second.Body));
        Assert.Equal(1, service.EnvironmentsStarted("EchoFunction"));
    }

    [Fact]
    public async Task Concurrent_invokes_get_more_environments()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => InvokeAsync("SlowEchoFunction", "{}")));

        Assert.All(results, result => Assert.Equal(HttpStatusCode.OK, result.Status));
        Assert.Equal(3, results.Select(result => Pid(result.Body)).Distinct().Count());
        Assert.Equal(3, service.EnvironmentsStarted("SlowEchoFunction"));
    }

    [Fact]
    public async Task Concurrent_invokes_beyond_the_limit_wait_for_an_environment()
    {
        await using var limited = await StartAsync(maxEnvironments: 2, logs: Path.Combine(logDirectory, "limited"));

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => InvokeAsync("SlowEchoFunction", "{}", limited)));

        Assert.All(results, result => Assert.Equal(HttpStatusCode.OK, result.Status));
        Assert.Equal(2, results.Select(result => Pid(result.Body)).Distinct().Count());
        Assert.Equal(2, limited.EnvironmentsStarted("SlowEchoFunction"));
    }

    [Fact]
    public async Task A_handler_error_comes_back_as_200_with_X_Amz_Function_Error_and_the_error_document()
    {
        var (status, headers, body) = await InvokeAsync("FailFunction", "{}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Unhandled", headers.GetValues("X-Amz-Function-Error").Single());
        Assert.Equal("ProvisionerFailed", JsonDocument.Parse(body).RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task A_timeout_answers_Sandbox_Timedout_and_replaces_the_environment()
    {
        var first = await InvokeAsync("SleepFunction", "{}");
        var second = await InvokeAsync("SleepFunction", "{}");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("Unhandled", first.Headers.GetValues("X-Amz-Function-Error").Single());
        var error = JsonDocument.Parse(first.Body).RootElement;
        Assert.Equal("Sandbox.Timedout", error.GetProperty("errorType").GetString());
        Assert.EndsWith("Task timed out after 1.00 seconds", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal("Sandbox.Timedout", JsonDocument.Parse(second.Body).RootElement.GetProperty("errorType").GetString());
        Assert.Equal(2, service.EnvironmentsStarted("SleepFunction"));
    }

    [Fact]
    public async Task A_crashing_runtime_answers_Runtime_ExitError_and_the_next_invoke_gets_a_new_environment()
    {
        var first = await InvokeAsync("CrashFunction", "{}");
        await InvokeAsync("CrashFunction", "{}");

        Assert.Equal("Unhandled", first.Headers.GetValues("X-Amz-Function-Error").Single());
        var error = JsonDocument.Parse(first.Body).RootElement;
        Assert.Equal("Runtime.ExitError", error.GetProperty("errorType").GetString());
        Assert.Contains("exit status 7", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, service.EnvironmentsStarted("CrashFunction"));
    }

    [Fact]
    public async Task An_environment_that_died_while_idle_is_replaced_and_the_next_invoke_never_sees_it()
    {
        // What a terminal's Ctrl-C does to the functions of `bakery build`'s stand-in (they share its process group).
        var first = Pid((await InvokeAsync("EchoFunction", "{}")).Body);
        using (var process = System.Diagnostics.Process.GetProcessById(first))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        var (_, headers, body) = await InvokeAsync("EchoFunction", "{}");

        Assert.False(headers.Contains("X-Amz-Function-Error"), body);
        Assert.NotEqual(first, Pid(body));
        Assert.Equal(2, service.EnvironmentsStarted("EchoFunction"));
    }

    [Fact]
    public async Task An_init_error_is_the_invocation_error()
    {
        var (status, headers, body) = await InvokeAsync("InitFailFunction", "{}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Unhandled", headers.GetValues("X-Amz-Function-Error").Single());
        Assert.Equal("BuildFileInvalid", JsonDocument.Parse(body).RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task An_Event_invocation_is_accepted_with_202_and_still_runs()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(service.Endpoint, "/2015-03-31/functions/EchoFunction/invocations"))
        {
            Content = new StringContent("""{"async":true}"""),
        };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");

        using var response = await http.SendAsync(request);
        await service.StopAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("START RequestId", await File.ReadAllTextAsync(Path.Combine(logDirectory, "EchoFunction.log")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_function_logs_to_its_own_file_in_the_log_directory()
    {
        await InvokeAsync("EchoFunction", "{}");

        Assert.Equal(Path.GetFullPath(logDirectory), service.LogDirectory);
        var log = await File.ReadAllTextAsync(Path.Combine(logDirectory, "EchoFunction.log"));
        Assert.Contains("fake bootstrap", log, StringComparison.Ordinal);
        Assert.Contains("serving Echo", log, StringComparison.Ordinal);
        Assert.Contains("END RequestId", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task References_without_a_local_value_are_all_named_at_start()
    {
        var error = await Assert.ThrowsAsync<LocalTemplateException>(() => LocalLambdaService.StartAsync(new LocalLambdaOptions
        {
            TemplatePath = Path.Combine(AppContext.BaseDirectory, "resources", "template-unresolved.yaml"),
            BootstrapPath = "/bin/bash",
        }));

        Assert.Contains("LaunchFunction Environment.Variables.BAKERY_LEDGER_TABLE: !Ref LedgerTable has no local value", error.Message, StringComparison.Ordinal);
        Assert.Contains("LaunchFunction Environment.Variables.BAKERY_ROLE: !GetAtt InstanceRole.Arn has no local value", error.Message, StringComparison.Ordinal);
    }

    private Task<LocalLambdaService> StartAsync(int maxEnvironments, string? logs = null) => LocalLambdaService.StartAsync(new LocalLambdaOptions
    {
        TemplatePath = Path.Combine(AppContext.BaseDirectory, "resources", "template.yaml"),
        BootstrapPath = "/bin/bash",
        BootstrapArguments = [Path.Combine(AppContext.BaseDirectory, "resources", "fake-bootstrap.sh")],
        Environment = new Dictionary<string, string> { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1" },
        ParameterValues = new Dictionary<string, string> { ["TemplatesBucket"] = "bakery-test-bucket" },
        LogDirectory = logs ?? logDirectory,
        MaxEnvironmentsPerFunction = maxEnvironments,
    });

    private async Task<(HttpStatusCode Status, System.Net.Http.Headers.HttpResponseHeaders Headers, string Body)> InvokeAsync(
        string name, string payload, LocalLambdaService? target = null)
    {
        var uri = new Uri((target ?? service).Endpoint, $"/2015-03-31/functions/{name}/invocations");
        using var response = await http.PostAsync(uri, new StringContent(payload, Encoding.UTF8, "application/json"));
        return (response.StatusCode, response.Headers, await response.Content.ReadAsStringAsync());
    }

    private static int Pid(string body) => JsonDocument.Parse(body).RootElement.GetProperty("pid").GetInt32();
}
