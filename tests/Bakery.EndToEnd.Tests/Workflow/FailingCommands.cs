using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bakery.Local.Aws;
using Microsoft.AspNetCore.Http;

namespace Bakery.EndToEnd.Tests.Workflow;

/// <summary>
/// moto's Run Command always succeeds with no output, so a failing command (and one whose output SSM cuts at 24,000
/// characters) cannot come from it. A command whose text holds <see cref="Marker"/> (an environment variable of the
/// provisioner, which Provision writes into the command as Packer's <c>{{.Vars}}</c>) is answered by
/// GetCommandInvocation as AWS answers a failed one: Failed, exit code 1, a standard output of exactly the 24,000
/// characters SSM returns at most. Everything else goes to moto untouched.
/// </summary>
public sealed class FailingCommands : IAwsCallInterceptor
{
    /// <summary>Put <c>BAKERY_COMMAND_FAILS=1</c> in a provisioner's environment_vars to fail its commands.</summary>
    public const string Marker = "BAKERY_COMMAND_FAILS";

    /// <summary>What GetCommandInvocation gives of a stream at most (AwsLimits.InvocationOutputChars).</summary>
    public const int CutOutputChars = 24_000;

    private readonly ConcurrentDictionary<string, bool> failing = new(StringComparer.Ordinal);

    public bool Watches(AwsCall call) =>
        call.Action == "AmazonSSM.SendCommand" && call.Body is { } body && Encoding.UTF8.GetString(body).Contains(Marker, StringComparison.Ordinal);

    public Task OnAnsweredAsync(AwsCall call, int status, byte[] response, CancellationToken cancellationToken)
    {
        if (status == StatusCodes.Status200OK && JsonNode.Parse(response)?["Command"]?["CommandId"]?.GetValue<string>() is { } commandId)
        {
            failing[commandId] = true;
        }

        return Task.CompletedTask;
    }

    public async Task<bool> TryAnswerAsync(AwsCall call, HttpContext http)
    {
        if (call.Action != "AmazonSSM.GetCommandInvocation" || call.Body is not { } body)
        {
            return false;
        }

        var request = JsonNode.Parse(body)!;
        var commandId = request["CommandId"]?.GetValue<string>();
        if (commandId is null || !failing.ContainsKey(commandId))
        {
            return false;
        }

        var answer = new JsonObject
        {
            ["CommandId"] = commandId,
            ["InstanceId"] = request["InstanceId"]?.GetValue<string>(),
            ["DocumentName"] = "AWS-RunShellScript",
            ["PluginName"] = "aws:runShellScript",
            ["ResponseCode"] = 1,
            ["Status"] = "Failed",
            ["StatusDetails"] = "Failed",
            ["StandardOutputContent"] = new string('x', CutOutputChars),
            ["StandardErrorContent"] = "the test found what it checks for missing",
        };
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/x-amz-json-1.1";
        await http.Response.WriteAsync(answer.ToJsonString(new JsonSerializerOptions()), http.RequestAborted).ConfigureAwait(false);
        return true;
    }
}
