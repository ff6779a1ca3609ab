using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Bakery.Local.StepFunctions.Internal;

namespace Bakery.Local.StepFunctions;

/// <summary>
/// Runs statemachine/bake.asl.json locally: aws-local-stepfunctions (infra/local/stepfunctions/run.mjs on Node 22) as a
/// child process, its <c>${...}</c> placeholders filled from template.yaml's <c>DefinitionSubstitutions</c> with local
/// function ARNs, Task states invoking the local Lambda service. One runner runs many executions, one per call, side by
/// side if called so: all in one long-lived Node process (<c>run.mjs --serve</c>), started on the first execution,
/// started again when it has ended, and stopped by <see cref="DisposeAsync"/>. The definition and template are read
/// for each execution, as a new process would.
/// </summary>
public sealed class StateMachineRunner : IAsyncDisposable
{
    private readonly StateMachineRunnerOptions _options;
    private readonly LocalStepFunctionsToolchain _toolchain;
    private readonly Lock _runnerLock = new();
    private RunnerProcess? _runner;
    private bool _disposed;
    private long _executions;

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
    /// output or error/cause and counts (see <see cref="RunAsync"/> for the parsed form). Cancelling, or leaving the
    /// enumeration before the Result, aborts the run.
    /// </summary>
    public async IAsyncEnumerable<StateMachineEvent> StreamAsync(
        string inputJson, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using (JsonDocument.Parse(inputJson))
        {
            // Fail here, not in Node, when the input is not JSON.
        }

        await _toolchain.EnsureInstalledAsync(cancellationToken).ConfigureAwait(false);
        var id = Interlocked.Increment(ref _executions).ToString(CultureInfo.InvariantCulture);
        var start = StartLine(id, inputJson);
        var (runner, lines) = await RegisterAsync(id).ConfigureAwait(false);
        var ended = false;
        try
        {
            await runner.SendAsync(start).ConfigureAwait(false);
            await foreach (var line in lines.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var evt = EventLine.Parse(line);
                if (evt.Type == EventLine.RefusedType)
                {
                    ended = true;
                    throw new InvalidOperationException(
                        $"the local Step Functions runner refused the execution (what exits with code 2 when run alone):\n{evt.Raw.GetProperty("message").GetString()}");
                }

                ended = evt.Type == EventLine.ResultType;
                yield return evt;
                if (ended)
                {
                    yield break;
                }
            }
        }
        finally
        {
            runner.Unregister(id);
            if (!ended)
            {
                // Cancelled, or the caller stopped reading: the execution must not run on in the runner. Sent here, not
                // from a callback on the token: cancelling runs the token's callbacks one after another, latest first,
                // so the read's callback could end this iterator, and dispose a registration whose turn had not come,
                // before the abort was sent (the execution then ran on, invoking its Lambda functions, unseen).
                await runner.SendAsync(AbortLine(id)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The runner process's id while one runs (for tests that end it).</summary>
    internal int? ProcessId
    {
        get
        {
            lock (_runnerLock)
            {
                return _runner is { IsRunning: true } runner ? runner.ProcessId : null;
            }
        }
    }

    /// <summary>Stops the runner process (executions still running end with it).</summary>
    public async ValueTask DisposeAsync()
    {
        RunnerProcess? runner;
        lock (_runnerLock)
        {
            runner = _runner;
            _runner = null;
            _disposed = true;
        }

        if (runner is not null)
        {
            await runner.DisposeAsync().ConfigureAwait(false);
        }
    }

    // The runner process, started on the first execution and again after one has ended.
    private async Task<(RunnerProcess Runner, ChannelReader<string> Lines)> RegisterAsync(string id)
    {
        RunnerProcess? ended = null;
        try
        {
            lock (_runnerLock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_runner?.Register(id) is { } lines)
                {
                    return (_runner, lines);
                }

                ended = _runner;
                _runner = RunnerProcess.Start(StartInfo());
                return (_runner, _runner.Register(id) ?? throw new InvalidOperationException("the local Step Functions runner ended at once"));
            }
        }
        finally
        {
            if (ended is not null)
            {
                await ended.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private string StartLine(string id, string inputJson)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("start", id);
            json.WriteString("definition", Path.Combine(_options.RepositoryRoot, _options.DefinitionPath));
            json.WriteStartObject("substitutions");
            foreach (var (name, value) in Substitutions())
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WritePropertyName("input");
            json.WriteRawValue(inputJson);
            if (_options.WaitOverride is { } wait)
            {
                json.WriteNumber("waitMs", (long)wait.TotalMilliseconds);
            }

            if (_options.RetryOverride is { } retry)
            {
                json.WriteNumber("retryMs", (long)retry.TotalMilliseconds);
            }

            json.WriteBoolean("payloads", _options.IncludePayloads);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string AbortLine(string id) => $$"""{"abort":"{{id}}"}""";

    private ProcessStartInfo StartInfo()
    {
        var start = new ProcessStartInfo(_toolchain.NodePath) { WorkingDirectory = _toolchain.Directory };
        start.ArgumentList.Add(_toolchain.RunnerScript);
        start.ArgumentList.Add("--serve");
        start.ArgumentList.Add("--lambda-endpoint");
        start.ArgumentList.Add(_options.LambdaEndpoint.ToString().TrimEnd('/'));
        start.ArgumentList.Add("--region");
        start.ArgumentList.Add(_options.Region);
        foreach (var (name, value) in _options.Environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }
}
