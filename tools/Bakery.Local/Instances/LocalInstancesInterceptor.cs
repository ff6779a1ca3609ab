using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Bakery.Local.Aws;
using Microsoft.AspNetCore.Http;

namespace Bakery.Local.Instances;

/// <summary>
/// Connects <see cref="LocalInstances"/> to the proxy in front of moto: moto's answers to EC2 RunInstances, Start/Stop/
/// Reboot/TerminateInstances, CreateImage and DeregisterImage are mirrored on the local instances and images, and SSM
/// SendCommand, GetCommandInvocation, ListCommandInvocations, CancelCommand and DescribeInstanceInformation are
/// answered for local instances as SSM answers them (everything else goes on to moto).
/// </summary>
public sealed class LocalInstancesInterceptor(LocalInstances instances, string region) : IAwsCallInterceptor
{
    private const string SsmPrefix = "AmazonSSM.";
    private const string ShellDocument = "AWS-RunShellScript";
    private const string PowerShellDocument = "AWS-RunPowerShellScript";

    // SSM's default executionTimeout for both documents.
    private const int DefaultExecutionTimeoutSeconds = 3600;

    private static readonly HashSet<string> WatchedEc2Actions = new(StringComparer.Ordinal)
    {
        "RunInstances", "StopInstances", "StartInstances", "RebootInstances", "TerminateInstances", "CreateImage", "DeregisterImage",
    };

    public bool Watches(AwsCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.Service == "ec2" && WatchedEc2Actions.Contains(call.Action);
    }

    public async Task OnAnsweredAsync(AwsCall call, int status, byte[] response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (status is < 200 or >= 300)
        {
            return;
        }

        var form = call.Form;
        switch (call.Action)
        {
            case "RunInstances":
                var imageId = form.TryGetValue("ImageId", out var image) ? image.ToString() : "";
                var builder = InstanceTag(form, "bakery:builder");
                foreach (var instanceId in XmlValues(response, "instanceId"))
                {
                    instances.Launch(instanceId, imageId, builder);
                }

                break;
            case "StopInstances":
                await Task.WhenAll(Numbered(form, "InstanceId").Select(instances.StopAsync)).ConfigureAwait(false);
                break;
            case "StartInstances":
                foreach (var id in Numbered(form, "InstanceId"))
                {
                    instances.Start(id);
                }

                break;
            case "RebootInstances":
                await Task.WhenAll(Numbered(form, "InstanceId").Select(instances.RebootAsync)).ConfigureAwait(false);
                break;
            case "TerminateInstances":
                await Task.WhenAll(Numbered(form, "InstanceId").Select(instances.TerminateAsync)).ConfigureAwait(false);
                break;
            case "CreateImage":
                if (form.TryGetValue("InstanceId", out var source) && XmlValues(response, "imageId").FirstOrDefault() is { } newImage)
                {
                    try
                    {
                        await instances.CreateImageAsync(source.ToString(), newImage, form.TryGetValue("Name", out var name) ? name.ToString() : null, cancellationToken)
                            .ConfigureAwait(false);
                    }
                    catch (InvalidOperationException error)
                    {
                        instances.Output.Say(null, $"the files of {newImage} could not be kept locally: {error.Message}");
                    }
                }

                break;
            case "DeregisterImage":
                if (form.TryGetValue("ImageId", out var deregistered))
                {
                    instances.Deregister(deregistered.ToString());
                }

                break;
        }
    }

    public async Task<bool> TryAnswerAsync(AwsCall call, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(http);
        if (!call.Action.StartsWith(SsmPrefix, StringComparison.Ordinal) || call.Body is null)
        {
            return false;
        }

        JsonObject request;
        try
        {
            request = JsonNode.Parse(call.Body.Length == 0 ? "{}"u8 : call.Body) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return false;
        }

        var answer = call.Action[SsmPrefix.Length..] switch
        {
            "SendCommand" => SendCommand(request),
            "GetCommandInvocation" => GetCommandInvocation(request),
            "ListCommandInvocations" => ListCommandInvocations(request),
            "CancelCommand" => CancelCommand(request),
            "DescribeInstanceInformation" => DescribeInstanceInformation(request),
            _ => null,
        };
        if (answer is null)
        {
            return false;
        }

        http.Response.StatusCode = answer.Value.Status;
        http.Response.ContentType = "application/x-amz-json-1.1";
        http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        await http.Response.WriteAsync(answer.Value.Body.ToJsonString(), http.RequestAborted).ConfigureAwait(false);
        return true;
    }

    private (int Status, JsonObject Body)? SendCommand(JsonObject request)
    {
        var document = request["DocumentName"]?.GetValue<string>() ?? "";
        var ids = Strings(request["InstanceIds"]);
        if (ids.Count == 0 || document is not (ShellDocument or PowerShellDocument))
        {
            return null;
        }

        if (ids.FirstOrDefault(id => instances.Find(id) is not { State: LocalInstanceState.Running }) is { } unreachable)
        {
            // What SSM answers for an instance whose agent is not registered (unknown, stopped, rebooting).
            return Error("InvalidInstanceId", $"Instances [[{unreachable}]] not in a valid state for account 123456789012");
        }

        var parameters = request["Parameters"] as JsonObject ?? [];
        var commands = Strings(parameters["commands"]);
        var timeout = int.TryParse(Strings(parameters["executionTimeout"]).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : DefaultExecutionTimeoutSeconds;
        var commandId = Guid.NewGuid().ToString();
        var now = DateTimeOffset.UtcNow;
        var sent = new List<LocalCommandInvocation>();
        foreach (var id in ids)
        {
            var invocation = instances.Send(new LocalCommandInvocation
            {
                CommandId = commandId,
                InstanceId = id,
                DocumentName = document,
                Comment = request["Comment"]?.GetValue<string>(),
                Commands = commands,
                ExecutionTimeoutSeconds = timeout,
                OutputS3BucketName = request["OutputS3BucketName"]?.GetValue<string>(),
                OutputS3KeyPrefix = request["OutputS3KeyPrefix"]?.GetValue<string>(),
                OutputS3Region = request["OutputS3Region"]?.GetValue<string>(),
                RequestedAt = now,
                Parameters = parameters.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)Strings(p.Value), StringComparer.Ordinal),
            });
            if (invocation is null)
            {
                return Error("InvalidInstanceId", $"Instances [[{id}]] not in a valid state for account 123456789012");
            }

            sent.Add(invocation);
        }

        return (200, new JsonObject { ["Command"] = CommandOf(sent) });
    }

    private (int Status, JsonObject Body)? GetCommandInvocation(JsonObject request)
    {
        var commandId = request["CommandId"]?.GetValue<string>() ?? "";
        var instanceId = request["InstanceId"]?.GetValue<string>() ?? "";
        if (instances.Invocation(commandId, instanceId) is not { } invocation)
        {
            if (instances.Invocations.Any(i => i.CommandId == commandId) || instances.Find(instanceId) is not null)
            {
                return Error("InvocationDoesNotExist", "");
            }

            return null;
        }

        var finished = invocation.IsFinished;
        var body = new JsonObject
        {
            ["CommandId"] = invocation.CommandId,
            ["InstanceId"] = invocation.InstanceId,
            ["Comment"] = invocation.Comment ?? "",
            ["DocumentName"] = invocation.DocumentName,
            ["DocumentVersion"] = "$DEFAULT",
            ["PluginName"] = invocation.PluginName,
            ["ResponseCode"] = invocation.ResponseCode,
            ["ExecutionStartDateTime"] = invocation.StartedAt?.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? "",
            ["ExecutionElapsedTime"] = Elapsed(invocation),
            ["ExecutionEndDateTime"] = invocation.EndedAt?.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? "",
            ["Status"] = invocation.Status,
            ["StatusDetails"] = invocation.StatusDetails,
            // AWS: the first 24,000 characters of stdout and the first 8,000 of stderr, once the command has ended.
            ["StandardOutputContent"] = finished ? First(invocation.Output, LocalCommandInvocation.StandardOutputLimit) : "",
            ["StandardOutputUrl"] = OutputUrl(invocation, "stdout"),
            ["StandardErrorContent"] = finished ? First(invocation.Error, LocalCommandInvocation.StandardErrorLimit) : "",
            ["StandardErrorUrl"] = OutputUrl(invocation, "stderr"),
            ["CloudWatchOutputConfig"] = new JsonObject { ["CloudWatchLogGroupName"] = "", ["CloudWatchOutputEnabled"] = false },
        };
        return (200, body);
    }

    private (int Status, JsonObject Body)? ListCommandInvocations(JsonObject request)
    {
        var commandId = request["CommandId"]?.GetValue<string>();
        var instanceId = request["InstanceId"]?.GetValue<string>();
        var details = request["Details"]?.GetValue<bool>() ?? false;
        var local = instances.Invocations
            .Where(i => (commandId is null || i.CommandId == commandId) && (instanceId is null || i.InstanceId == instanceId))
            .ToList();
        var ours = (commandId is not null && instances.Invocations.Any(i => i.CommandId == commandId))
            || (instanceId is not null && instances.Find(instanceId) is not null)
            || (commandId is null && instanceId is null && instances.Invocations.Count > 0);
        if (!ours)
        {
            return null;
        }

        var list = new JsonArray();
        foreach (var invocation in local)
        {
            var plugin = new JsonObject
            {
                ["Name"] = invocation.PluginName,
                ["Status"] = invocation.Status,
                ["StatusDetails"] = invocation.StatusDetails,
                ["ResponseCode"] = invocation.ResponseCode,
                ["StandardOutputUrl"] = OutputUrl(invocation, "stdout"),
                ["StandardErrorUrl"] = OutputUrl(invocation, "stderr"),
                ["OutputS3BucketName"] = invocation.OutputS3BucketName ?? "",
                ["OutputS3KeyPrefix"] = invocation.OutputS3KeyPrefix ?? "",
            };
            if (details)
            {
                // The console's (and ListCommandInvocations') plugin output: the first 2,500 characters.
                plugin["Output"] = First(invocation.Output + invocation.Error, 2500);
            }

            var item = new JsonObject
            {
                ["CommandId"] = invocation.CommandId,
                ["InstanceId"] = invocation.InstanceId,
                ["InstanceName"] = instances.Find(invocation.InstanceId)?.HostName ?? "",
                ["Comment"] = invocation.Comment ?? "",
                ["DocumentName"] = invocation.DocumentName,
                ["DocumentVersion"] = "$DEFAULT",
                ["RequestedDateTime"] = invocation.RequestedAt.ToUnixTimeMilliseconds() / 1000.0,
                ["Status"] = invocation.Status,
                ["StatusDetails"] = invocation.StatusDetails,
                ["StandardOutputUrl"] = OutputUrl(invocation, "stdout"),
                ["StandardErrorUrl"] = OutputUrl(invocation, "stderr"),
            };
            if (details)
            {
                item["CommandPlugins"] = new JsonArray(plugin);
            }

            list.Add(item);
        }

        return (200, new JsonObject { ["CommandInvocations"] = list });
    }

    private (int Status, JsonObject Body)? CancelCommand(JsonObject request)
    {
        var commandId = request["CommandId"]?.GetValue<string>() ?? "";
        if (!instances.Invocations.Any(i => i.CommandId == commandId))
        {
            return null;
        }

        instances.Cancel(commandId);
        return (200, []);
    }

    private (int Status, JsonObject Body)? DescribeInstanceInformation(JsonObject request)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var filter in (request["InstanceInformationFilterList"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (filter["key"]?.GetValue<string>() == "InstanceIds")
            {
                wanted.UnionWith(Strings(filter["valueSet"]));
            }
        }

        foreach (var filter in (request["Filters"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (filter["Key"]?.GetValue<string>() == "InstanceIds")
            {
                wanted.UnionWith(Strings(filter["Values"]));
            }
        }

        var list = new JsonArray();
        foreach (var instance in instances.All.Where(i => i.State == LocalInstanceState.Running && (wanted.Count == 0 || wanted.Contains(i.InstanceId))))
        {
            list.Add(new JsonObject
            {
                ["InstanceId"] = instance.InstanceId,
                ["PingStatus"] = "Online",
                ["LastPingDateTime"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
                ["AgentVersion"] = "3.3.0.0",
                ["IsLatestVersion"] = false,
                ["PlatformType"] = "Linux",
                ["PlatformName"] = "Debian GNU/Linux",
                ["PlatformVersion"] = "13",
                ["ResourceType"] = "EC2Instance",
                ["IPAddress"] = "127.0.0.1",
                ["ComputerName"] = instance.HostName,
            });
        }

        return (200, new JsonObject { ["InstanceInformationList"] = list });
    }

    private JsonObject CommandOf(IReadOnlyList<LocalCommandInvocation> sent)
    {
        var first = sent[0];
        var parameters = new JsonObject();
        foreach (var (name, values) in first.Parameters)
        {
            parameters[name] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]);
        }

        return new JsonObject
        {
            ["CommandId"] = first.CommandId,
            ["DocumentName"] = first.DocumentName,
            ["DocumentVersion"] = "$DEFAULT",
            ["Comment"] = first.Comment ?? "",
            ["ExpiresAfter"] = first.RequestedAt.AddHours(1).ToUnixTimeMilliseconds() / 1000.0,
            ["Parameters"] = parameters,
            ["InstanceIds"] = new JsonArray([.. sent.Select(i => JsonValue.Create(i.InstanceId))]),
            ["Targets"] = new JsonArray(),
            ["RequestedDateTime"] = first.RequestedAt.ToUnixTimeMilliseconds() / 1000.0,
            ["Status"] = "Pending",
            ["StatusDetails"] = "Pending",
            ["OutputS3Region"] = first.OutputS3Region ?? region,
            ["OutputS3BucketName"] = first.OutputS3BucketName ?? "",
            ["OutputS3KeyPrefix"] = first.OutputS3KeyPrefix ?? "",
            ["MaxConcurrency"] = "50",
            ["MaxErrors"] = "0",
            ["TargetCount"] = sent.Count,
            ["CompletedCount"] = 0,
            ["ErrorCount"] = 0,
            ["DeliveryTimedOutCount"] = 0,
            ["TimeoutSeconds"] = 3600,
        };
    }

    private string OutputUrl(LocalCommandInvocation invocation, string stream)
    {
        if (invocation.OutputS3BucketName is not { Length: > 0 } bucket)
        {
            return "";
        }

        var prefix = string.IsNullOrEmpty(invocation.OutputS3KeyPrefix) ? "" : invocation.OutputS3KeyPrefix.TrimEnd('/') + "/";
        return $"https://s3.{invocation.OutputS3Region ?? region}.amazonaws.com/{bucket}/{prefix}{invocation.CommandId}/{invocation.InstanceId}/"
            + $"{invocation.PluginFolder}/0.{invocation.PluginFolder}/{stream}";
    }

    private static string Elapsed(LocalCommandInvocation invocation)
    {
        if (invocation.StartedAt is not { } started)
        {
            return "";
        }

        var elapsed = (invocation.EndedAt ?? DateTimeOffset.UtcNow) - started;
        return string.Create(CultureInfo.InvariantCulture, $"PT{elapsed.TotalSeconds:0.###}S");
    }

    private static string First(string text, int chars) => text.Length <= chars ? text : text[..chars];

    private static (int Status, JsonObject Body) Error(string code, string message) =>
        (400, new JsonObject { ["__type"] = code, ["message"] = message });

    private static List<string> Strings(JsonNode? node) => node switch
    {
        JsonArray array => [.. array.Select(item => item?.GetValue<string>()).OfType<string>()],
        JsonValue value when value.TryGetValue<string>(out var text) => [text],
        _ => [],
    };

    private static IEnumerable<string> Numbered(IReadOnlyDictionary<string, Microsoft.Extensions.Primitives.StringValues> form, string name)
    {
        for (var i = 1; form.TryGetValue($"{name}.{i.ToString(CultureInfo.InvariantCulture)}", out var value); i++)
        {
            yield return value.ToString();
        }
    }

    private static string? InstanceTag(IReadOnlyDictionary<string, Microsoft.Extensions.Primitives.StringValues> form, string key)
    {
        for (var spec = 1; form.TryGetValue($"TagSpecification.{spec.ToString(CultureInfo.InvariantCulture)}.ResourceType", out var type); spec++)
        {
            if (type.ToString() != "instance")
            {
                continue;
            }

            for (var tag = 1; form.TryGetValue($"TagSpecification.{spec}.Tag.{tag}.Key", out var name); tag++)
            {
                if (name.ToString() == key && form.TryGetValue($"TagSpecification.{spec}.Tag.{tag}.Value", out var value))
                {
                    return value.ToString();
                }
            }
        }

        return null;
    }

    private static List<string> XmlValues(byte[] response, string element)
    {
        try
        {
            var document = XDocument.Parse(Encoding.UTF8.GetString(response));
            return [.. document.Descendants().Where(e => e.Name.LocalName == element).Select(e => e.Value).Distinct(StringComparer.Ordinal)];
        }
        catch (System.Xml.XmlException)
        {
            return [];
        }
    }
}
