using System.Net;
using System.Text;
using System.Text.Json;
using Bakery.Local.Lambda;
using Bakery.Testing;

namespace Bakery.Functions.Tests.Lambda;

/// <summary>The local Lambda service's fault plan, against resources/fake-bootstrap.sh.</summary>
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class LocalLambdaFaultTests : IAsyncLifetime
{
    private readonly HttpClient http = new();
    private readonly string logDirectory = Path.Combine(Path.GetTempPath(), $"bakery-lambda-faults-{Guid.NewGuid():N}");
    private LocalLambdaService service = null!;

    public async Task InitializeAsync() => service = await LocalLambdaService.StartAsync(new LocalLambdaOptions
    {
        TemplatePath = Path.Combine(AppContext.BaseDirectory, "resources", "template.yaml"),
        BootstrapPath = "/bin/bash",
        BootstrapArguments = [Path.Combine(AppContext.BaseDirectory, "resources", "fake-bootstrap.sh")],
        ParameterValues = new Dictionary<string, string> { ["TemplatesBucket"] = "bakery-test-bucket" },
        LogDirectory = logDirectory,
        Faults = LocalFaultPlan.Parse("Echo:LaunchFailed@2"),
    });

    public async Task DisposeAsync()
    {
        await service.StopAsync();
        http.Dispose();
        Directory.Delete(logDirectory, recursive: true);
    }

    [Fact]
    public async Task A_fault_on_one_attempt_answers_the_Lambda_error_document_on_that_attempt_only()
    {
        var first = await InvokeAsync("EchoFunction");
        var second = await InvokeAsync("EchoFunction");
        var third = await InvokeAsync("EchoFunction");

        Assert.False(first.Headers.Contains("X-Amz-Function-Error"));
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal("Unhandled", second.Headers.GetValues("X-Amz-Function-Error").Single());
        var error = JsonDocument.Parse(second.Body).RootElement;
        Assert.Equal("LaunchFailed", error.GetProperty("errorType").GetString());
        Assert.Contains("attempt 2 of EchoFunction", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.False(third.Headers.Contains("X-Amz-Function-Error"));
        Assert.Equal(3, service.Attempts("EchoFunction"));
        // The failed attempt never reached the function.
        Assert.Equal(2, StartLines("EchoFunction"));
    }

    [Fact]
    public async Task A_timeout_fault_runs_the_function_and_loses_its_answer()
    {
        service.SetFaults(LocalFaultPlan.Parse("EchoFunction:Sandbox.Timedout@1"));

        var timedOut = await InvokeAsync("EchoFunction");
        var next = await InvokeAsync("EchoFunction");

        Assert.Equal("Unhandled", timedOut.Headers.GetValues("X-Amz-Function-Error").Single());
        var error = JsonDocument.Parse(timedOut.Body).RootElement;
        Assert.Equal("Sandbox.Timedout", error.GetProperty("errorType").GetString());
        Assert.Contains("Task timed out after 20.00 seconds", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, StartLines("EchoFunction"));
        Assert.Contains("\"greeting\"", next.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delay_fault_runs_the_function_and_passes_its_answer_on()
    {
        service.SetFaults(LocalFaultPlan.Parse("EchoFunction:Delay=200ms@1"));

        var delayed = await InvokeAsync("EchoFunction");

        Assert.False(delayed.Headers.Contains("X-Amz-Function-Error"), delayed.Body);
        Assert.Contains("\"greeting\"", delayed.Body, StringComparison.Ordinal);
        Assert.Equal(1, StartLines("EchoFunction"));
        Assert.Contains(File.ReadLines(Path.Combine(logDirectory, "EchoFunction.log")), line => line.Contains("FAULT", StringComparison.Ordinal) && line.Contains("Delay=200ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Setting_a_plan_counts_attempts_from_one_again_and_leaves_other_functions_alone()
    {
        await InvokeAsync("EchoFunction");
        service.SetFaults(LocalFaultPlan.Parse("Echo:Lambda.TooManyRequestsException@1"));

        var throttled = await InvokeAsync("EchoFunction");
        var other = await InvokeAsync("SlowEchoFunction");

        Assert.Equal("Lambda.TooManyRequestsException", JsonDocument.Parse(throttled.Body).RootElement.GetProperty("errorType").GetString());
        Assert.False(other.Headers.Contains("X-Amz-Function-Error"));
        Assert.Equal(1, service.Attempts("EchoFunction"));
    }

    [Fact]
    public async Task An_empty_plan_injects_nothing()
    {
        service.SetFaults(LocalFaultPlan.None);

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => InvokeAsync("EchoFunction")));

        Assert.All(results, result => Assert.False(result.Headers.Contains("X-Amz-Function-Error")));
    }

    private int StartLines(string function) =>
        File.ReadLines(Path.Combine(logDirectory, $"{function}.log")).Count(line => line.StartsWith("START RequestId", StringComparison.Ordinal));

    private async Task<(HttpStatusCode Status, System.Net.Http.Headers.HttpResponseHeaders Headers, string Body)> InvokeAsync(string name)
    {
        var uri = new Uri(service.Endpoint, $"/2015-03-31/functions/{name}/invocations");
        using var response = await http.PostAsync(uri, new StringContent("{}", Encoding.UTF8, "application/json"));
        return (response.StatusCode, response.Headers, await response.Content.ReadAsStringAsync());
    }
}
