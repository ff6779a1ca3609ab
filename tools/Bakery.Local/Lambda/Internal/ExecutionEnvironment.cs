using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Bakery.Core.Lambda;
using Microsoft.AspNetCore.Http;

namespace Bakery.Local.Lambda.Internal;

/// <summary>
/// One execution environment: a Runtime API on its own loopback port and the <c>bootstrap</c> process talking to
/// it. Serves one invocation at a time; after a timeout, a crash or an init error it is no longer healthy and the
/// pool replaces it.
/// </summary>
internal sealed class ExecutionEnvironment : IRuntimeApiHost, IAsyncDisposable
{
    private readonly FunctionDefinition function;
    private readonly LocalLambdaOptions options;
    private readonly FunctionLog log;
    private RuntimeApiServer? runtimeApi;
    private readonly Channel<PendingInvocation> pending = Channel.CreateBounded<PendingInvocation>(1);
    private readonly TaskCompletionSource<byte[]> initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? process;
    private volatile PendingInvocation? current;

    private ExecutionEnvironment(FunctionDefinition function, LocalLambdaOptions options, FunctionLog log)
    {
        this.function = function;
        this.options = options;
        this.log = log;
    }

    public bool IsHealthy { get; private set; } = true;

    /// <summary>True once the runtime process has ended (an idle environment can die too).</summary>
    public bool HasExited => exited.Task.IsCompleted || process is { HasExited: true };

    public static async Task<ExecutionEnvironment> StartAsync(FunctionDefinition function, LocalLambdaOptions options, FunctionLog log)
    {
        var environment = new ExecutionEnvironment(function, options, log);
        environment.runtimeApi = await RuntimeApiServer.StartAsync(environment).ConfigureAwait(false);
        environment.StartProcess(environment.runtimeApi.Address);
        return environment;
    }

    /// <summary>Hands the event to the runtime and waits for its answer, the process's end, or the function's timeout.</summary>
    public async Task<InvocationResult> InvokeAsync(string requestId, byte[] payload, CancellationToken cancellationToken)
    {
        var invocation = new PendingInvocation(requestId, payload);
        log.Write($"START RequestId: {requestId} Version: $LATEST");
        await pending.Writer.WriteAsync(invocation, cancellationToken).ConfigureAwait(false);
        var result = await WaitAsync(invocation, cancellationToken).ConfigureAwait(false);
        log.Write($"END RequestId: {requestId}");
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        IsHealthy = false;
        Kill();
        pending.Writer.TryComplete();
        if (runtimeApi is not null)
        {
            await runtimeApi.DisposeAsync().ConfigureAwait(false);
        }

        process?.Dispose();
    }

    private async Task<InvocationResult> WaitAsync(PendingInvocation invocation, CancellationToken cancellationToken)
    {
        var pickedUp = await Task.WhenAny(invocation.PickedUp.Task, invocation.Result.Task, initError.Task, exited.Task,
            Task.Delay(options.InitTimeout, cancellationToken)).ConfigureAwait(false);
        if (pickedUp == initError.Task)
        {
            IsHealthy = false;
            return InvocationResult.Unhandled(await initError.Task.ConfigureAwait(false));
        }

        if (pickedUp == exited.Task)
        {
            return Exited(invocation);
        }

        if (pickedUp != invocation.PickedUp.Task && pickedUp != invocation.Result.Task)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IsHealthy = false;
            Kill();
            return InvocationResult.Unhandled("Runtime.InitTimeout", $"RequestId: {invocation.RequestId} Error: the runtime did not ask for an event within {options.InitTimeout.TotalSeconds:0} seconds");
        }

        var timeout = TimeSpan.FromSeconds(function.TimeoutSeconds);
        var done = await Task.WhenAny(invocation.Result.Task, exited.Task, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
        if (done == invocation.Result.Task)
        {
            return await invocation.Result.Task.ConfigureAwait(false);
        }

        if (done == exited.Task)
        {
            return Exited(invocation);
        }

        cancellationToken.ThrowIfCancellationRequested();
        // Lambda's behaviour: the environment is torn down, the caller sees Sandbox.Timedout.
        IsHealthy = false;
        Kill();
        var message = $"RequestId: {invocation.RequestId} Error: Task timed out after {function.TimeoutSeconds.ToString("0.00", CultureInfo.InvariantCulture)} seconds";
        log.Write(message);
        return InvocationResult.Unhandled("Sandbox.Timedout", message);
    }

    private InvocationResult Exited(PendingInvocation invocation)
    {
        IsHealthy = false;
        var code = exited.Task.Result;
        return invocation.Result.Task.IsCompletedSuccessfully
            ? invocation.Result.Task.Result
            : InvocationResult.Unhandled("Runtime.ExitError", $"RequestId: {invocation.RequestId} Error: Runtime exited with error: exit status {code}");
    }

    private void StartProcess(string runtimeApiAddress)
    {
        var start = new ProcessStartInfo(options.BootstrapPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(options.BootstrapPath))!,
        };
        foreach (var argument in options.BootstrapArguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A clean environment like Lambda's: only what Lambda sets, the function's variables and the caller's.
        start.Environment.Clear();
        foreach (var name in new[] { "PATH", "HOME", "DOTNET_ROOT", "TMPDIR" })
        {
            if (System.Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }

        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApiAddress;
        start.Environment["_HANDLER"] = function.Handler;
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = function.FunctionName;
        start.Environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        start.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = function.MemorySize.ToString(CultureInfo.InvariantCulture);
        start.Environment["AWS_LAMBDA_FUNCTION_TIMEOUT"] = function.TimeoutSeconds.ToString(CultureInfo.InvariantCulture);
        start.Environment["AWS_LAMBDA_LOG_GROUP_NAME"] = $"/aws/lambda/{function.FunctionName}";
        start.Environment["AWS_REGION"] = options.Region;
        start.Environment["AWS_DEFAULT_REGION"] = options.Region;
        start.Environment["LAMBDA_TASK_ROOT"] = start.WorkingDirectory;
        foreach (var (name, value) in function.Environment.Concat(options.Environment))
        {
            start.Environment[name] = value;
        }

        // Each function its own identity, as each has its own role on Lambda (the secret is the caller's, moto ignores it).
        start.Environment["AWS_ACCESS_KEY_ID"] = FunctionAccessKeys.For(function.LogicalId);

        var started = new Process { StartInfo = start, EnableRaisingEvents = true };
        started.OutputDataReceived += (_, line) => WriteLine(line.Data);
        started.ErrorDataReceived += (_, line) => WriteLine(line.Data);
        started.Exited += (_, _) => exited.TrySetResult(started.ExitCode);
        started.Start();
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        process = started;
    }

    private void WriteLine(string? line)
    {
        if (line is not null)
        {
            log.Write(line);
        }
    }

    private void Kill()
    {
        try
        {
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone: nothing to kill.
        }
    }

    public async Task NextAsync(HttpContext http)
    {
        PendingInvocation invocation;
        try
        {
            invocation = await pending.Reader.ReadAsync(http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            return;
        }

        current = invocation;
        var deadline = DateTimeOffset.UtcNow.AddSeconds(function.TimeoutSeconds);
        var arn = $"arn:aws:lambda:{options.Region}:{options.AccountId}:function:{function.FunctionName}";
        invocation.PickedUp.TrySetResult();
        await RuntimeApiServer.WriteEventAsync(http, new RuntimeApiEvent(invocation.RequestId, invocation.Payload, arn)
        {
            Deadline = deadline,
            TraceId = $"Root=1-{deadline.ToUnixTimeSeconds():x8}-{Guid.NewGuid():N}"[..40] + ";Sampled=0",
        }).ConfigureAwait(false);
    }

    public Task ResponseAsync(string requestId, byte[] body, HttpContext http)
    {
        if (Current(requestId, http) is not { } invocation)
        {
            return Task.CompletedTask;
        }

        if (body.Length > LambdaRuntimeApi.MaxResponseBytes)
        {
            // Lambda refuses the response and the caller gets the error instead.
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            invocation.Result.TrySetResult(InvocationResult.Unhandled("Function.ResponseSizeTooLarge",
                $"Response payload size ({body.Length} bytes) exceeded maximum allowed payload size ({LambdaRuntimeApi.MaxResponseBytes} bytes)."));
            return Task.CompletedTask;
        }

        invocation.Result.TrySetResult(InvocationResult.Success(body));
        http.Response.StatusCode = StatusCodes.Status202Accepted;
        return Task.CompletedTask;
    }

    public Task ErrorAsync(string requestId, byte[] body, string errorType, HttpContext http)
    {
        if (Current(requestId, http) is { } invocation)
        {
            invocation.Result.TrySetResult(InvocationResult.Unhandled(body));
            http.Response.StatusCode = StatusCodes.Status202Accepted;
        }

        return Task.CompletedTask;
    }

    public Task InitErrorAsync(byte[] body, string errorType, HttpContext http)
    {
        initError.TrySetResult(body);
        http.Response.StatusCode = StatusCodes.Status202Accepted;
        return Task.CompletedTask;
    }

    private PendingInvocation? Current(string id, HttpContext http)
    {
        if (current is { } invocation && invocation.RequestId == id)
        {
            return invocation;
        }

        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        return null;
    }

}
