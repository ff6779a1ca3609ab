using Bakery.Core.Logging;
using Bakery.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Core.Tests.Logging;

public sealed class JsonLinesLoggerProviderTests
{
    private readonly StringWriter output = new();

    [Fact]
    public void Each_line_is_a_JSON_object_with_Lambda_fields_and_the_scopes_fields()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 4, 5, 6, 7, 89, TimeSpan.Zero));
        using var provider = new JsonLinesLoggerProvider(output, LogLevel.Information, clock);
        var logger = provider.CreateLogger("test");

        using (LogScopes.Invocation(logger, "req-1"))
        using (LogScopes.Step(logger, "Launch", "b-42"))
        {
            logger.Log(LogLevel.Warning, "line \"one\"\nstill one");
        }

        var json = Assert.Single(LogLines.Parse(output));
        Assert.Equal("2025-03-04T05:06:07.089Z", json.Text("timestamp"));
        Assert.Equal("WARN", json.Text("level"));
        Assert.Equal("line \"one\"\nstill one", json.Text("message"));
        Assert.Equal("req-1", json.Text("requestId"));
        Assert.Equal("b-42", json.Text("buildId"));
        Assert.Equal("Launch", json.Text("step"));
    }

    [Fact]
    public void Lines_below_the_level_are_dropped_and_a_line_outside_any_scope_has_no_scope_fields()
    {
        using var provider = new JsonLinesLoggerProvider(output, LogLevel.Warning, TimeProvider.System);
        var logger = provider.CreateLogger("test");

        logger.Log(LogLevel.Information, "hidden");
        logger.Log(LogLevel.Error, "shown");

        var line = Assert.Single(LogLines.Parse(output));
        Assert.Equal("shown", line.Text("message"));
        Assert.Null(line.Text("requestId"));
    }

    [Fact]
    public void A_closed_scope_leaves_no_field_behind()
    {
        using var provider = new JsonLinesLoggerProvider(output, LogLevel.Information, TimeProvider.System);
        var logger = provider.CreateLogger("test");

        using (LogScopes.Step(logger, "Launch", "b-1"))
        {
            logger.Log(LogLevel.Information, "inside");
        }

        logger.Log(LogLevel.Information, "after");

        var lines = LogLines.Parse(output);
        Assert.Equal("b-1", lines[0].Text("buildId"));
        Assert.Null(lines[1].Text("buildId"));
        Assert.Null(lines[1].Text("step"));
    }

    [Fact]
    public void An_exception_comes_with_its_type_message_and_stack_and_an_unwritable_message_does_not_throw()
    {
        using var provider = new JsonLinesLoggerProvider(output, LogLevel.Information, TimeProvider.System);
        var logger = provider.CreateLogger("test");
        Exception thrown;
        try
        {
            throw new InvalidOperationException("lone \ud800 surrogate");
        }
        catch (InvalidOperationException ex)
        {
            thrown = ex;
        }

        logger.Log(LogLevel.Error, thrown, "failed: {cause}", thrown.Message);

        var line = Assert.Single(LogLines.Parse(output));
        Assert.Equal("ERROR", line.Text("level"));
        Assert.Equal("InvalidOperationException", line.Text("errorType"));
        Assert.Equal("lone \ufffd surrogate", line.Text("errorMessage"));
        Assert.Equal("lone \ufffd surrogate", line.Text("cause"));
        Assert.Contains(nameof(An_exception_comes_with_its_type_message_and_stack_and_an_unwritable_message_does_not_throw), line.GetProperty("stackTrace")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DEBUG", LogLevel.Debug)]
    [InlineData("warn", LogLevel.Warning)]
    [InlineData("FATAL", LogLevel.Critical)]
    [InlineData(null, LogLevel.Information)]
    [InlineData("LOUD", LogLevel.Information)]
    [InlineData("42", LogLevel.Information)]
    public void AWS_LAMBDA_LOG_LEVEL_is_read_with_INFO_as_the_default(string? value, LogLevel expected) =>
        Assert.Equal(expected, LambdaLogLevels.Parse(value));
}
