using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Bakery.Cli.Stack;

/// <summary>
/// What the CLI needs to know about a deployed stack: the JSON template.yaml's <c>ConfigParameter</c> writes to
/// <c>/bakery/&lt;stack&gt;/config</c> (<c>{"bucket","stateMachineArn","ledgerTable","region"}</c>).
/// </summary>
internal sealed record StackConfig
{
    public required string Bucket { get; init; }
    public required string StateMachineArn { get; init; }
    public required string LedgerTable { get; init; }
    public required string Region { get; init; }

    public static string ParameterName(string stack) => $"/bakery/{stack}/config";

    /// <exception cref="StackConfigException">Not JSON, or a field is missing or not a string.</exception>
    public static StackConfig Parse(string json, string source)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException error)
        {
            throw new StackConfigException($"{source} is not JSON ({error.Message}).");
        }

        if (node is not JsonObject config)
        {
            throw new StackConfigException($"{source} is not a JSON object.");
        }

        string Field(string name) =>
            config[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
                ? text
                : throw new StackConfigException($"{source} has no \"{name}\" (expected {{\"bucket\",\"stateMachineArn\",\"ledgerTable\",\"region\"}}).");

        return new StackConfig { Bucket = Field("bucket"), StateMachineArn = Field("stateMachineArn"), LedgerTable = Field("ledgerTable"), Region = Field("region") };
    }

    public string ToJson() => new JsonObject
    {
        ["bucket"] = Bucket,
        ["stateMachineArn"] = StateMachineArn,
        ["ledgerTable"] = LedgerTable,
        ["region"] = Region,
    }.ToJsonString();

    /// <exception cref="StackConfigException">No such parameter (no such stack, or another region/account), or a bad value.</exception>
    public static async Task<StackConfig> LoadAsync(IAmazonSimpleSystemsManagement ssm, string stack, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ssm);
        var name = ParameterName(stack);
        try
        {
            var response = await ssm.GetParameterAsync(new GetParameterRequest { Name = name }, cancellationToken).ConfigureAwait(false);
            return Parse(response.Parameter.Value, $"SSM parameter {name}");
        }
        catch (ParameterNotFoundException)
        {
            throw new StackConfigException(
                $"no Bakery stack '{stack}': SSM parameter {name} does not exist in this account and region (deploy with infra/deploy.sh, or check AWS_REGION/AWS_PROFILE).");
        }
    }
}
