using System.Text.Json;
using Bakery.Functions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Functions.Tests.Logging;

public sealed class JsonLineLoggerTests
{
    [Fact]
    public void Each_line_is_a_JSON_object_with_Lambda_fields_and_the_build_and_step()
    {
        var output = new StringWriter();
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 4, 5, 6, 7, 89, TimeSpan.Zero));
        var logger = new JsonLineLogger(output, LambdaLogLevel.Info, clock) { RequestId = "req-1", BuildId = "b-42", Step = "Launch" };

        logger.Log(LambdaLogLevel.Warn, "line \"one\"\nstill one");

        var line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("2025-03-04T05:06:07.089Z", json.GetProperty("timestamp").GetString());
        Assert.Equal("WARN", json.GetProperty("level").GetString());
        Assert.Equal("line \"one\"\nstill one", json.GetProperty("message").GetString());
        Assert.Equal("req-1", json.GetProperty("requestId").GetString());
        Assert.Equal("b-42", json.GetProperty("buildId").GetString());
        Assert.Equal("Launch", json.GetProperty("step").GetString());
    }

    [Fact]
    public void Lines_below_the_level_are_dropped()
    {
        var output = new StringWriter();
        var logger = new JsonLineLogger(output, LambdaLogLevel.Warn, TimeProvider.System);

        logger.Log(LambdaLogLevel.Info, "hidden");
        logger.Log(LambdaLogLevel.Error, "shown");

        var line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("shown", JsonDocument.Parse(line).RootElement.GetProperty("message").GetString());
        Assert.False(JsonDocument.Parse(line).RootElement.TryGetProperty("requestId", out _));
    }

    [Theory]
    [InlineData("DEBUG", "Debug")]
    [InlineData("warn", "Warn")]
    [InlineData("FATAL", "Fatal")]
    [InlineData(null, "Info")]
    [InlineData("LOUD", "Info")]
    [InlineData("42", "Info")]
    public void AWS_LAMBDA_LOG_LEVEL_is_read_with_INFO_as_the_default(string? value, string expected) =>
        Assert.Equal(expected, JsonLineLogger.ParseLevel(value).ToString());
}
