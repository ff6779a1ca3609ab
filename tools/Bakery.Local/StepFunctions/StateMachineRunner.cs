using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Bakery.Local.StepFunctions.Internal;

namespace Bakery.Local.StepFunctions;

/// <summary>
/// Runs statemachine/bake.asl.json locally: aws-local-stepfunctions (infra/local/stepfunctions/run.mjs on Node 22) as a
/// child process, its <c>${...}</c> placeholders filled from template.yaml's <c>DefinitionSubstitutions</c> with local
/// function ARNs, Task states invoking the local Lambda service. One runner can run many executions, one per call.
/// </summary>
public sealed class StateMachineRunner
{
    private const int StderrTailChars = 8_000;
    private readonly StateMachineRunnerOptions _options;
    private readonly LocalStepFunctionsToolchain _toolchain;

    public StateMachineRunner(StateMachineRunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _toolchain = new LocalStepFunctionsToolchain(options.RepositoryRoot);
    }

    /// <summary>
    /// The placeholder values this runner uses: every <c>DefinitionSubstitutions</c> entry of template.yaml, function
    /// references replaced by <see cref="StateMachineRunnerOptions.FunctionArn"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Substitutions()
    {
        var template = SamTemplate.Load(Path.Combine(_options.RepositoryRoot, _options.TemplatePath));
        var arnOf = _options.FunctionArn
            ?? (logicalId => $"arn:aws:lambda:{_options.Region}:000000000000:function:{logicalId}");
        return template.DefinitionSubstitutions(template.StateMachineLogicalId()).ToDictionary(
            pair => pair.Key,
            pair => pair.Value switch
            {
                { Value: { } literal } => literal,
                { LogicalId: { } id, Attribute: null or "Arn" } => arnOf(id),
                _ => throw new InvalidDataException(
                    $"DefinitionSubstitutions.{pair.Key}: only function ARNs (!GetAtt X.Arn / !Ref X) and literals run locally"),
            },
            StringComparer.Ordinal);
    }

    /// <summary>Runs one execution to its end; <paramref name="onEvent"/> sees each event as it happens.</summary>
    public async Task<StateMachineRunResult> RunAsync(
        string inputJson, Action<StateMachineEvent>? onEvent = null, CancellationToken cancellationToken = default)
    {
        var events = new List<StateMachineEvent>();
        StateMachineEvent? result = null;
        await foreach (var evt in StreamAsync(inputJson, cancellationToken).ConfigureAwait(false))
        {
            if (evt.Type == EventLine.ResultType)
            {
                result = evt;
                continue;
            }

            events.Add(evt);
            onEvent?.Invoke(evt);
        }

        return EventLine.ToResult(result!, events);
    }

    /// <summary>
    /// Runs one execution and yields its events as they happen. The last item has <c>Type == "Result"</c>: status,
    /// output or error/cause and counts (see <see cref="RunAsync"/> for the parsed form). Cancelling aborts the run.
    /// </summary>
    public async IAsyncEnumerable<StateMachineEvent> StreamAsync(
        string inputJson, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using (JsonDocument.Parse(inputJson))
        {
            // Fail here, not in Node, when the input is not JSON.
        }

        await _toolchain.EnsureInstalledAsync(cancellationToken).ConfigureAwait(false);
        using var scratch = new ScratchFolder();
        var inputPath = scratch.Write("input.json", inputJson);
        var substitutionsPath = scratch.Write("substitutions.json", JsonSerializer.Serialize(Substitutions(), RunnerJsonContext.Default.IReadOnlyDictionaryStringString));

        using var process = Process.Start(StartInfo(inputPath, substitutionsPath))
            ?? throw new InvalidOperationException($"could not start {_toolchain.NodePath}");
        var stderr = new StderrTail(process, StderrTailChars);
        using var abort = cancellationToken.Register(() => TryKill(process));

        var sawResult = false;
        while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var evt = EventLine.Parse(line);
            sawResult |= evt.Type == EventLine.ResultType;
            yield return evt;
        }

        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (!sawResult)
        {
            throw new InvalidOperationException(
                $"the local Step Functions runner exited with code {process.ExitCode} without a result:\n{stderr.Text}");
        }
    }

    private ProcessStartInfo StartInfo(string inputPath, string substitutionsPath)
    {
        var start = new ProcessStartInfo(_toolchain.NodePath)
        {
            WorkingDirectory = _toolchain.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(_toolchain.RunnerScript);
        start.ArgumentList.Add("--definition");
        start.ArgumentList.Add(Path.Combine(_options.RepositoryRoot, _options.DefinitionPath));
        start.ArgumentList.Add("--substitutions");
        start.ArgumentList.Add(substitutionsPath);
        start.ArgumentList.Add("--input");
        start.ArgumentList.Add(inputPath);
        start.ArgumentList.Add("--lambda-endpoint");
        start.ArgumentList.Add(_options.LambdaEndpoint.ToString().TrimEnd('/'));
        start.ArgumentList.Add("--region");
        start.ArgumentList.Add(_options.Region);
        if (_options.WaitOverride is { } wait)
        {
            start.ArgumentList.Add("--wait-ms");
            start.ArgumentList.Add(((long)wait.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        }

        if (_options.RetryOverride is { } retry)
        {
            start.ArgumentList.Add("--retry-ms");
            start.ArgumentList.Add(((long)retry.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        }

        if (!_options.IncludePayloads)
        {
            start.ArgumentList.Add("--no-payloads");
        }

        foreach (var (name, value) in _options.Environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
