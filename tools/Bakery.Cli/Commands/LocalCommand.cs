using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Bakery.Cli.Build;
using Bakery.Cli.Stack;
using Bakery.Local.StandIn;
using CliWrap.Buffered;

namespace Bakery.Cli.Commands;

/// <summary>
/// <c>bakery local up|down|status</c>: a long-lived local stand-in (moto, the local Lambda service, the upload trigger)
/// served by a detached <c>bakery local serve</c> process and recorded in <c>.bakery/local/state.json</c>, so builds,
/// the AWS CLI and SDKs can use it while it runs.
/// </summary>
internal static class LocalCommand
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(20);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public static Command Create()
    {
        var command = new Command("local", "Run the local stand-in for a Bakery stack (moto, the local Lambda service, the upload trigger) in the background.");
        var up = new Command("up", "Start the local stand-in in the background (does nothing when it already runs) and print its endpoints.");
        up.SetAction((parseResult, cancellationToken) => UpAsync(parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        var down = new Command("down", "Stop the local stand-in and everything it started.");
        down.SetAction((parseResult, cancellationToken) => DownAsync(parseResult.InvocationConfiguration.Output, cancellationToken));
        var status = new Command("status", "Print the local stand-in's endpoints, or that it is not running (exit 1).");
        status.SetAction(parseResult => Status(parseResult.InvocationConfiguration.Output));
        var serve = new Command("serve", "Serve the local stand-in in the foreground until SIGINT/SIGTERM (what `local up` runs).") { Hidden = true };
        serve.SetAction((parseResult, cancellationToken) => ServeAsync(parseResult.InvocationConfiguration.Output));
        command.Subcommands.Add(up);
        command.Subcommands.Add(down);
        command.Subcommands.Add(status);
        command.Subcommands.Add(serve);
        command.Subcommands.Add(LocalInstanceCommands.Images());
        command.Subcommands.Add(LocalInstanceCommands.Run());
        command.Subcommands.Add(LocalInstanceCommands.Import());
        return command;
    }

    private static string StatePath(string root) => StandInStateFile.PathFor(root);

    private static string ServeLogPath(string statePath) => Path.Combine(Path.GetDirectoryName(statePath)!, "serve.log");

    internal static async Task<int> UpAsync(TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var root = RepositoryRoot.Find();
        var statePath = StatePath(root);
        // Two `up`s at once start one stand-in: the second waits here, then finds it running.
        using var gate = await LockAsync(statePath + ".lock", cancellationToken).ConfigureAwait(false);
        if (StandInStateFile.ReadRunning(statePath) is { } running)
        {
            output.WriteLine("The local stand-in is already running.");
            Print(output, running, statePath);
            return 0;
        }

        if (File.Exists(statePath))
        {
            // Left by a stand-in that died; its moto stopped with it (moto.sh --owner).
            File.Delete(statePath);
        }

        var log = ServeLogPath(statePath);
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        File.WriteAllText(log, "");
        var pid = StartServe(root, log);
        output.WriteLine($"Starting the local stand-in (pid {pid.ToString(CultureInfo.InvariantCulture)}, log {log})...");

        long offset = 0;
        var deadline = DateTimeOffset.UtcNow + StartTimeout;
        while (true)
        {
            offset = Relay(log, offset, output);
            if (StandInStateFile.ReadRunning(statePath) is { } started && started.ProcessId == pid)
            {
                Relay(log, offset, output);
                Print(output, started, statePath);
                return 0;
            }

            if (!StandInStateFile.IsServing(pid))
            {
                Relay(log, offset, output);
                error.WriteLine($"bakery local up: the stand-in exited before it was ready; see {log}");
                return 1;
            }

            if (DateTimeOffset.UtcNow > deadline || cancellationToken.IsCancellationRequested)
            {
                await StopAsync(pid, cancellationToken: CancellationToken.None).ConfigureAwait(false);
                error.WriteLine($"bakery local up: the stand-in was not ready in time (or you interrupted it) and was stopped; see {log}");
                return 1;
            }

            await Task.Delay(Poll, CancellationToken.None).ConfigureAwait(false);
        }
    }

    internal static async Task<int> DownAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var root = RepositoryRoot.Find();
        var statePath = StatePath(root);
        if (StandInStateFile.Read(statePath) is not { } description)
        {
            output.WriteLine("The local stand-in is not running.");
            CleanLocalInstances(output);
            return 0;
        }

        var stopped = await StopAsync(description.ProcessId, cancellationToken).ConfigureAwait(false);
        if (description.MotoPort > 0)
        {
            // Normally stopped by the stand-in itself; this covers one that had to be killed.
            await RunAsync("bash", [Path.Combine(root, "infra", "local", "moto.sh"), "stop", description.MotoPort.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        }

        File.Delete(statePath);
        output.WriteLine(stopped
            ? $"Stopped the local stand-in (pid {description.ProcessId.ToString(CultureInfo.InvariantCulture)}) and its moto, Lambda functions and running executions."
            : "The local stand-in had already exited; removed its state file.");
        CleanLocalInstances(output);
        return 0;
    }

    /// <summary>Local instances and images go with the stand-in (the base image stays: it is an install, like moto).</summary>
    private static void CleanLocalInstances(TextWriter output)
    {
        var paths = Bakery.Local.Instances.LocalInstancePaths.Default();
        if (Directory.Exists(paths.Instances) || Directory.Exists(paths.Images))
        {
            Bakery.Local.Instances.LocalInstances.Clean(paths);
            output.WriteLine($"Removed the local instances and images ({paths.Root}).");
        }
    }

    internal static int Status(TextWriter output)
    {
        var statePath = StatePath(RepositoryRoot.Find());
        if (StandInStateFile.ReadRunning(statePath) is not { } running)
        {
            output.WriteLine("The local stand-in is not running (start it with: bakery local up).");
            return 1;
        }

        output.WriteLine("The local stand-in is running.");
        Print(output, running, statePath);
        return 0;
    }

    private static async Task<int> ServeAsync(TextWriter output)
    {
        var root = RepositoryRoot.Find();
        var statePath = StatePath(root);
        void Log(string line) => output.WriteLine($"{DateTimeOffset.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {line}");

        using var interrupts = new Interrupts();
        try
        {
            await using var standIn = await LocalStandIn.StartAsync(new LocalStandInOptions
            {
                RepositoryRoot = root,
                // moto stops with this process even if it is killed.
                MotoOwnerProcessId = Environment.ProcessId,
                Progress = Log,
                LogDirectory = Path.Combine(root, ".bakery", "logs", $"local-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}"),
            }, interrupts.Token).ConfigureAwait(false);
            var description = standIn.Description;
            await LocalStack.WriteConfigAsync(description, interrupts.Token).ConfigureAwait(false);
            await using var trigger = await LocalUploadTrigger.StartAsync(description, standIn.Runner, Log, cancellationToken: interrupts.Token).ConfigureAwait(false);
            // StartExecution on the stand-in's state machine (a resume with --stack local) runs the definition, as on AWS.
            var definition = await File.ReadAllTextAsync(Path.Combine(root, "statemachine", "bake.asl.json"), interrupts.Token).ConfigureAwait(false);
            await using var executions = await LocalExecutionTrigger.StartAsync(description, async (input, token) =>
            {
                var result = await standIn.Runner.RunAsync(input, cancellationToken: token).ConfigureAwait(false);
                return $"{result.Status}{(result.Error is null ? "" : $": {result.Error}: {result.Cause}")}";
            }, definition, Log, cancellationToken: interrupts.Token).ConfigureAwait(false);
            StandInStateFile.Write(statePath, description);
            Log($"ready: AWS {description.AwsEndpoint}, Lambda {description.LambdaEndpoint}");
            try
            {
                await Task.Delay(Timeout.Infinite, interrupts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Log($"stopping ({interrupts.Signal})...");
            }
        }
        catch (OperationCanceledException) when (interrupts.Token.IsCancellationRequested)
        {
            Log("interrupted while starting");
        }
        finally
        {
            StandInStateFile.DeleteIfOwnedBy(statePath, Environment.ProcessId);
        }

        Log("stopped");
        return 0;
    }

    /// <summary>Starts <c>bakery local serve</c> in its own session, detached from this process and its terminal; returns its pid.</summary>
    private static int StartServe(string root, string log)
    {
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        // setsid execs in place (a script's background job is no group leader), so $! is the server's own pid.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("setsid \"$@\" >>\"$BAKERY_SERVE_LOG\" 2>&1 </dev/null & echo $!");
        start.ArgumentList.Add("bakery-local-up");
        start.ArgumentList.Add(dotnet);
        start.ArgumentList.Add(typeof(LocalCommand).Assembly.Location);
        start.ArgumentList.Add("local");
        start.ArgumentList.Add("serve");
        start.Environment["BAKERY_SERVE_LOG"] = log;
        start.Environment["BAKERY_ROOT"] = root;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var pid = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return int.Parse(pid, CultureInfo.InvariantCulture);
    }

    /// <summary>SIGTERM (the stand-in stops what it started), then SIGKILL if it does not exit in time. False when it was not running.</summary>
    private static async Task<bool> StopAsync(int pid, CancellationToken cancellationToken)
    {
        if (!StandInStateFile.IsServing(pid))
        {
            return false;
        }

        await RunAsync("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        var deadline = DateTimeOffset.UtcNow + StopTimeout;
        while (StandInStateFile.IsServing(pid) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(Poll, CancellationToken.None).ConfigureAwait(false);
        }

        if (StandInStateFile.IsServing(pid))
        {
            await RunAsync("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private static async Task RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        await CliWrap.Cli.Wrap(fileName).WithArguments(arguments).WithValidation(CliWrap.CommandResultValidation.None).ExecuteBufferedAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Copies what the serve log gained since <paramref name="offset"/>; returns the new offset.</summary>
    private static long Relay(string log, long offset, TextWriter output)
    {
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length <= offset)
        {
            return offset;
        }

        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var complete = text.LastIndexOf('\n');
        if (complete < 0)
        {
            return offset;
        }

        foreach (var line in text[..complete].Split('\n'))
        {
            output.WriteLine("  " + line);
        }

        output.Flush();
        return offset + System.Text.Encoding.UTF8.GetByteCount(text[..(complete + 1)]);
    }

    internal static void Print(TextWriter output, StandInDescription standIn, string statePath)
    {
        var region = standIn.Region;
        output.WriteLine($"""
              AWS endpoint:     {standIn.AwsEndpoint}{(standIn.MotoPort > 0 ? " (moto)" : "")}
              Lambda endpoint:  {standIn.LambdaEndpoint} (Invoke API for every function of template.yaml)
              Bucket:           {standIn.Bucket} (a *.json uploaded under builds/ starts a build)
              Ledger table:     {standIn.LedgerTable}
              Stack config:     {StackConfig.ParameterName(LocalStack.Name)} in its SSM (stack name: {LocalStack.Name})
              Process:          {standIn.ProcessId.ToString(CultureInfo.InvariantCulture)} (state: {statePath}; log: {ServeLogPath(statePath)})
              Function logs:    {standIn.LogDirectory ?? "(none)"}

            Point the AWS CLI and SDKs at it:
              export AWS_ENDPOINT_URL={standIn.AwsEndpoint}
              export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
              export AWS_REGION={region} AWS_DEFAULT_REGION={region}

            Then: bakery build FILE                  (runs here, streaming every event)
                  bakery build --stack local FILE    (with the exports above: upload, trigger, follow the ledger)
                  bakery builds; bakery status BUILD_ID
                  bakery local down
            """);
        output.Flush();
    }
}
