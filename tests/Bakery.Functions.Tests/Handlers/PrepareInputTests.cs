using System.Text.Json;
using Bakery.Functions.Handlers;

namespace Bakery.Functions.Tests.Handlers;

public class PrepareInputTests
{
    [Fact]
    public void The_workflows_wrapper_gives_the_trigger_and_the_execution_id()
    {
        using var input = JsonDocument.Parse("""{"executionId": "arn:aws:states:us-east-1:1:execution:bake:x", "trigger": {"template": "s3://b/k.json"}}""");

        var (trigger, executionId) = BakeryHandlers.UnwrapPrepareInput(input.RootElement);

        Assert.Equal("arn:aws:states:us-east-1:1:execution:bake:x", executionId);
        Assert.Equal("s3://b/k.json", trigger.GetProperty("template").GetString());
    }

    [Theory]
    [InlineData("""{"template": "s3://b/k.json"}""")]
    [InlineData("""{"executionId": "x", "trigger": {}, "template": "s3://b/k.json"}""")]
    [InlineData("""{"executionId": 1, "trigger": {}}""")]
    public void Anything_else_is_the_trigger_itself(string json)
    {
        using var input = JsonDocument.Parse(json);

        var (trigger, executionId) = BakeryHandlers.UnwrapPrepareInput(input.RootElement);

        Assert.Null(executionId);
        Assert.Equal(json, trigger.GetRawText());
    }
}
