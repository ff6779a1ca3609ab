using System.Globalization;
using System.Net;
using Bakery.Local.Lambda.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bakery.Local.Lambda;

/// <summary>
/// The project's stand-in for Lambda: the Invoke API (<c>POST /2015-03-31/functions/{name}/invocations</c>) on
/// loopback, in front of per-function pools of real <c>bootstrap</c> processes, each behind its own Runtime API.
/// Point <c>AWS_ENDPOINT_URL_LAMBDA</c> (or an SDK's ServiceURL) at <see cref="Endpoint"/>.
/// </summary>
public sealed class LocalLambdaService : IAsyncDisposable
{
    private const int MaxRequestBytes = 6 * 1024 * 1024;
    private readonly WebApplication app;
    private readonly Dictionary<string, FunctionPool> pools;
    private readonly List<Task> backgroundInvocations = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly Dictionary<string, int> attempts = new(StringComparer.Ordinal);
    private readonly Lock faultGuard = new();
    private LocalFaultPlan faults;
    private TaskCompletionSource planReplaced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int held;
    private int stopped;
    private int inFlight;

    private LocalLambdaService(WebApplication app, Dictionary<string, FunctionPool> pools, string logDirectory, LocalFaultPlan faults)
    {
        this.app = app;
        this.pools = pools;
        this.faults = faults;
        LogDirectory = logDirectory;
    }

    /// <summary>The Invoke API's base address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The folder holding one <c>&lt;LogicalId&gt;.log</c> per function for this run.</summary>
    public string LogDirectory { get; }

    /// <summary>The functions that can be invoked (logical ids).</summary>
    public IReadOnlyCollection<string> FunctionNames => pools.Values.Select(pool => pool.Function.LogicalId).Distinct().ToList();

    /// <summary>Reads the template (failing fast on references without a local value) and starts the Invoke API.</summary>
    public static async Task<LocalLambdaService> StartAsync(LocalLambdaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(options.BootstrapPath))
        {
            throw new FileNotFoundException($"The bootstrap to run was not found: {options.BootstrapPath}", options.BootstrapPath);
        }

        var functions = SamTemplateReader.Read(options);
        var logDirectory = Path.GetFullPath(options.LogDirectory
            ?? Path.Combine(".bakery", "logs", $"lambda-{DateTime.Now.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture)}"));
        Directory.CreateDirectory(logDirectory);
        var pools = new Dictionary<string, FunctionPool>(StringComparer.Ordinal);
        foreach (var function in functions)
        {
            var pool = new FunctionPool(function, options, new FunctionLog(Path.Combine(logDirectory, $"{function.LogicalId}.log")));
            pools[function.LogicalId] = pool;
            pools[function.FunctionName] = pool;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Limits.MaxRequestBodySize = MaxRequestBytes + 1024;
        });
        var app = builder.Build();
        var service = new LocalLambdaService(app, pools, logDirectory, options.Faults);
        app.MapPost("/2015-03-31/functions/{name}/invocations", (string name, HttpContext http) => service.InvokeAsync(name, http));
        await app.StartAsync().ConfigureAwait(false);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        service.Endpoint = new Uri($"http://127.0.0.1:{address.Port}");
        options.Output?.Invoke($"Local Lambda service at {service.Endpoint} ({string.Join(", ", service.FunctionNames)}); function logs in {logDirectory}");
        if (options.Faults.Faults.Count > 0)
        {
            options.Output?.Invoke($"Injecting faults: {options.Faults}");
        }

        return service;
    }

    /// <summary>
    /// The function a name refers to: a function name, a full ARN (<c>arn:aws:lambda:region:account:function:Name</c>)
    /// or a partial ARN (<c>account:function:Name</c>), each optionally with a <c>:qualifier</c>.
    /// </summary>
    public static string FunctionNameFrom(string nameOrArn)
    {
        ArgumentNullException.ThrowIfNull(nameOrArn);
        var parts = nameOrArn.Split(':');
        if (parts.Length >= 7 && parts[0] == "arn" && parts[5] == "function")
        {
            return parts[6];
        }

        if (parts.Length >= 3 && parts[1] == "function")
        {
            return parts[2];
        }

        return parts[0];
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
        Task[] background;
        lock (backgroundInvocations)
        {
            background = [.. backgroundInvocations];
        }

        await Task.WhenAll(background).ConfigureAwait(false);
        // In parallel: stopping an environment's Runtime API takes a moment, and a bake uses a dozen functions.
        await Task.WhenAll(pools.Values.Distinct().Select(async pool =>
        {
            await pool.DisposeAsync().ConfigureAwait(false);
            pool.Log.Dispose();
        })).ConfigureAwait(false);

        await app.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Replaces the fault plan and starts counting every function's attempts from 1 again.</summary>
    public void SetFaults(LocalFaultPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        TaskCompletionSource replaced;
        lock (faultGuard)
        {
            faults = plan;
            attempts.Clear();
            replaced = planReplaced;
            planReplaced = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        // Answers held by the old plan's Local.Hold go out now.
        replaced.TrySetResult();
    }

    /// <summary>How many answers a <see cref="LocalFault.HoldErrorType"/> fault is holding back right now (their functions have run).</summary>
    public int HeldAnswers => Volatile.Read(ref held);

    /// <summary>Raised with the new <see cref="HeldAnswers"/> whenever an answer is held or let go.</summary>
    public event Action<int>? HeldAnswersChanged;

    /// <summary>Completes once <see cref="HeldAnswers"/> is <paramref name="count"/>: what to await instead of polling it.</summary>
    public async Task WaitForHeldAnswersAsync(int count, CancellationToken cancellationToken)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(int now)
        {
            if (now == count)
            {
                reached.TrySetResult();
            }
        }

        HeldAnswersChanged += OnChanged;
        try
        {
            if (HeldAnswers != count)
            {
                await reached.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            HeldAnswersChanged -= OnChanged;
        }
    }

    /// <summary>How many times a function was invoked since the fault plan was last set (or the service started).</summary>
    public int Attempts(string function)
    {
        var logicalId = pools[FunctionNameFrom(function)].Function.LogicalId;
        lock (faultGuard)
        {
            return attempts.GetValueOrDefault(logicalId);
        }
    }

    /// <summary>
    /// Waits until no invocation is running (false: still busy after <paramref name="timeout"/>). An invocation goes on
    /// when its caller disconnects, as on Lambda; whoever cleans up after an interrupted workflow waits for it here.
    /// </summary>
    public async Task<bool> WaitForIdleAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Volatile.Read(ref inFlight) > 0 || HasBackgroundInvocations())
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        return true;
    }

    private bool HasBackgroundInvocations()
    {
        lock (backgroundInvocations)
        {
            return backgroundInvocations.Any(task => !task.IsCompleted);
        }
    }

    /// <summary>How many execution environments a function has started (a test's view of reuse and replacement).</summary>
    public int EnvironmentsStarted(string function) => pools[FunctionNameFrom(function)].EnvironmentsStarted;

    private async Task InvokeAsync(string name, HttpContext http)
    {
        var functionName = FunctionNameFrom(name);
        if (!pools.TryGetValue(functionName, out var pool))
        {
            await AwsErrorAsync(http, StatusCodes.Status404NotFound, "ResourceNotFoundException",
                $"Function not found: arn:aws:lambda:us-east-1:123456789012:function:{functionName}").ConfigureAwait(false);
            return;
        }

        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted).ConfigureAwait(false);
        if (body.Length > MaxRequestBytes)
        {
            await AwsErrorAsync(http, StatusCodes.Status413PayloadTooLarge, "RequestTooLargeException",
                $"Request must be smaller than {MaxRequestBytes} bytes for the InvokeFunction operation").ConfigureAwait(false);
            return;
        }

        var payload = body.Length == 0 ? "{}"u8.ToArray() : body.ToArray();
        var requestId = Guid.NewGuid().ToString();
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        switch (http.Request.Headers["X-Amz-Invocation-Type"].ToString())
        {
            case "Event":
                lock (backgroundInvocations)
                {
                    backgroundInvocations.RemoveAll(task => task.IsCompleted);
                    backgroundInvocations.Add(RunInBackgroundAsync(pool, requestId, payload));
                }

                http.Response.StatusCode = StatusCodes.Status202Accepted;
                return;
            case "DryRun":
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
        }

        InvocationResult result;
        Interlocked.Increment(ref inFlight);
        try
        {
            result = await RunAsync(pool, requestId, payload, http.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await AwsErrorAsync(http, StatusCodes.Status503ServiceUnavailable, "ServiceException", "The local Lambda service is stopping").ConfigureAwait(false);
            return;
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.Headers["X-Amz-Executed-Version"] = "$LATEST";
        if (result.FunctionError is { } functionError)
        {
            http.Response.Headers["X-Amz-Function-Error"] = functionError;
        }

        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(result.Payload, http.RequestAborted).ConfigureAwait(false);
    }

    private async Task RunInBackgroundAsync(FunctionPool pool, string requestId, byte[] payload)
    {
        try
        {
            var result = await RunAsync(pool, requestId, payload, CancellationToken.None).ConfigureAwait(false);
            if (result.FunctionError is not null)
            {
                pool.Log.Write($"RequestId: {requestId} (Event) failed: {System.Text.Encoding.UTF8.GetString(result.Payload)}");
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: an asynchronous invocation in flight is dropped, as Lambda would after its retries.
        }
    }

    /// <summary>Runs one invocation, or answers with the fault the plan holds for this attempt.</summary>
    private async Task<InvocationResult> RunAsync(FunctionPool pool, string requestId, byte[] payload, CancellationToken callerGone)
    {
        var function = pool.Function;
        LocalFault? fault;
        int attempt;
        Task released;
        lock (faultGuard)
        {
            attempt = attempts.GetValueOrDefault(function.LogicalId) + 1;
            attempts[function.LogicalId] = attempt;
            fault = faults.Find([function.LogicalId, function.FunctionName, function.Handler], attempt);
            released = planReplaced.Task;
        }

        if (fault is null)
        {
            return await pool.InvokeAsync(requestId, payload, stopping.Token).ConfigureAwait(false);
        }

        pool.Log.Write($"FAULT RequestId: {requestId} attempt {attempt}: {fault} {At()}");
        if (!fault.RunsTheFunction)
        {
            return InvocationResult.Unhandled(fault.ErrorType,
                $"{fault.ErrorType} injected by the local fault plan ({fault}) on attempt {attempt} of {function.LogicalId}");
        }

        if (fault.IsDelay)
        {
            // Held, then run as usual: the caller sees a slow step, not an error.
            await Task.Delay(fault.Delay, stopping.Token).ConfigureAwait(false);
            return await pool.InvokeAsync(requestId, payload, stopping.Token).ConfigureAwait(false);
        }

        // The work happens, the answer is lost: what a caller sees when a function overran its timeout.
        var answer = await pool.InvokeAsync(requestId, payload, stopping.Token).ConfigureAwait(false);
        if (fault.ErrorType == LocalFault.HoldErrorType)
        {
            HeldAnswersChanged?.Invoke(Interlocked.Increment(ref held));
            try
            {
                using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(callerGone, stopping.Token);
                var timeout = Task.Delay(TimeSpan.FromSeconds(function.TimeoutSeconds), giveUp.Token);
                if (await Task.WhenAny(released, timeout).ConfigureAwait(false) == released)
                {
                    pool.Log.Write($"FAULT RequestId: {requestId}: held answer released {At()}");
                    return answer;
                }

                pool.Log.Write($"FAULT RequestId: {requestId}: held answer dropped ({(callerGone.IsCancellationRequested ? "the caller went away" : "timeout")}) {At()}");
            }
            finally
            {
                HeldAnswersChanged?.Invoke(Interlocked.Decrement(ref held));
            }
        }

        return InvocationResult.Unhandled(LocalFault.TimeoutErrorType,
            $"RequestId: {requestId} Error: Task timed out after {function.TimeoutSeconds.ToString("0.00", CultureInfo.InvariantCulture)} seconds (injected by the local fault plan on attempt {attempt})");
    }

    /// <summary>When a fault line happened: the function's own lines carry timestamps, and a hold's length is what a reader of the log needs.</summary>
    private static string At() => DateTimeOffset.UtcNow.ToString("'at' HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static async Task AwsErrorAsync(HttpContext http, int status, string errorType, string message)
    {
        http.Response.StatusCode = status;
        // The AWS SDKs read the error code from this header and the message from the body.
        http.Response.Headers["x-amzn-ErrorType"] = errorType;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsJsonAsync(new AwsErrorBody("User", message)).ConfigureAwait(false);
    }

    private sealed record AwsErrorBody(string Type, string Message);
}
