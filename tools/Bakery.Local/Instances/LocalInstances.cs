using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Bakery.Local.Instances;

/// <summary>
/// The stand-in's local instances and their SSM agent. EC2 calls that moto answered are mirrored here (RunInstances
/// gives the instance a root filesystem and starts it, StopInstances stops its processes, CreateImage freezes its
/// upper layer under moto's image id, TerminateInstances and DeregisterImage free the space), and SSM Run Command
/// for these instances is answered here with AWS's semantics, running the commands for real.
/// </summary>
public sealed class LocalInstances : IAsyncDisposable
{
    private readonly LocalInstancePaths paths;
    private readonly ConcurrentDictionary<string, LocalInstance> instances = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> starting = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LocalCommandInvocation> invocations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> cancellations = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource disposing = new();

    public LocalInstances(LocalInstancePaths paths, LocalImageStore images, LocalInstancesOutput? output = null)
    {
        this.paths = paths;
        Images = images;
        Output = output ?? new LocalInstancesOutput();
    }

    public LocalImageStore Images { get; }

    /// <summary>
    /// The host's PowerShell, bound into the instances launched from now on (for AWS-RunPowerShellScript on images
    /// without pwsh); null: PowerShell runs only where the image has its own.
    /// </summary>
    public HostPowerShell? PowerShell { get; set; } = HostPowerShell.Find();

    public LocalInstancesOutput Output { get; }

    /// <summary>Writes the command's outputs to S3 (OutputS3BucketName); null: the stand-in has no S3 to write to.</summary>
    public Func<string, string, string, CancellationToken, Task>? PutObject { get; init; }

    public LocalInstance? Find(string instanceId) => instances.TryGetValue(instanceId, out var instance) ? instance : null;

    public IReadOnlyCollection<LocalInstance> All => [.. instances.Values];

    public LocalCommandInvocation? Invocation(string commandId, string instanceId) =>
        invocations.TryGetValue(Key(commandId, instanceId), out var invocation) ? invocation : null;

    public IReadOnlyList<LocalCommandInvocation> Invocations => [.. invocations.Values.OrderByDescending(i => i.RequestedAt)];

    /// <summary>Gives a launched instance its root filesystem and starts it (in the background: it is "pending" until up).</summary>
    public void Launch(string instanceId, string imageId, string? builderName)
    {
        var layers = Images.LayersFor(imageId);
        var instance = new LocalInstance(instanceId, imageId, layers, Path.Combine(paths.Instances, instanceId), builderName, PowerShell);
        if (!instances.TryAdd(instanceId, instance))
        {
            return;
        }

        instance.Rebooted += OnRebooted;
        var target = instance.BuilderName;
        Output.Say(target, Images.Describe(imageId));
        starting[instanceId] = StartAsync(instance);
    }

    public async Task StopAsync(string instanceId)
    {
        if (Find(instanceId) is { } instance)
        {
            await WaitStartedAsync(instanceId).ConfigureAwait(false);
            CancelRunning(instanceId, "Cancelled");
            await instance.StopAsync().ConfigureAwait(false);
        }
    }

    public void Start(string instanceId)
    {
        if (Find(instanceId) is { State: LocalInstanceState.Stopped } instance)
        {
            starting[instanceId] = StartAsync(instance);
        }
    }

    public async Task RebootAsync(string instanceId)
    {
        if (Find(instanceId) is { } instance)
        {
            await StopAsync(instanceId).ConfigureAwait(false);
            starting[instanceId] = StartAsync(instance);
        }
    }

    public async Task TerminateAsync(string instanceId)
    {
        if (instances.TryRemove(instanceId, out var instance))
        {
            await WaitStartedAsync(instanceId).ConfigureAwait(false);
            CancelRunning(instanceId, "Cancelled");
            instance.Rebooted -= OnRebooted;
            await instance.TerminateAsync().ConfigureAwait(false);
            starting.TryRemove(instanceId, out _);
            Images.CollectGarbage(LayersInUse());
        }
    }

    /// <summary>CreateImage: the instance's upper layer becomes the layer of <paramref name="imageId"/>.</summary>
    public async Task CreateImageAsync(string instanceId, string imageId, string? name, CancellationToken cancellationToken)
    {
        if (Find(instanceId) is not { } instance)
        {
            return;
        }

        await WaitStartedAsync(instanceId).ConfigureAwait(false);
        await Images.RegisterAsync(imageId, name, instance.ImageId, instance.UpperLayer, cancellationToken).ConfigureAwait(false);
    }

    public void Deregister(string imageId) => Images.Deregister(imageId, LayersInUse());

    /// <summary>SendCommand to one instance: null when it cannot take commands now (InvalidInstanceId).</summary>
    public LocalCommandInvocation? Send(LocalCommandInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        if (Find(invocation.InstanceId) is not { State: LocalInstanceState.Running } instance)
        {
            return null;
        }

        invocations[Key(invocation.CommandId, invocation.InstanceId)] = invocation;
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(disposing.Token);
        cancellations[Key(invocation.CommandId, invocation.InstanceId)] = cancel;
        _ = Task.Run(() => RunAsync(instance, invocation, cancel.Token));
        return invocation;
    }

    /// <summary>CancelCommand: stops the command's processes; it ends Cancelled.</summary>
    public void Cancel(string commandId)
    {
        foreach (var (key, source) in cancellations)
        {
            if (key.StartsWith(commandId + "/", StringComparison.Ordinal))
            {
                source.Cancel();
            }
        }
    }

    /// <summary>Stops every instance and forgets them (the stand-in is going away); the images stay.</summary>
    public async ValueTask DisposeAsync()
    {
        await disposing.CancelAsync().ConfigureAwait(false);
        foreach (var id in instances.Keys.ToList())
        {
            await TerminateAsync(id).ConfigureAwait(false);
        }

        disposing.Dispose();
    }

    /// <summary>
    /// Deletes every local instance and image under <paramref name="paths"/> (<c>bakery local down</c>), killing the
    /// processes of instances a stand-in that died left running.
    /// </summary>
    public static void Clean(LocalInstancePaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (Directory.Exists(paths.Instances))
        {
            foreach (var folder in Directory.EnumerateDirectories(paths.Instances))
            {
                KillProcessesRootedIn(Path.Combine(folder, "root"));
                LocalInstance.DeleteFolder(folder);
            }
        }

        if (Directory.Exists(paths.Images))
        {
            Directory.Delete(paths.Images, recursive: true);
        }
    }

    private static void KillProcessesRootedIn(string root)
    {
        foreach (var process in Process.GetProcesses())
        {
            using (process)
            {
                try
                {
                    // An instance's init is the process whose command line names the instance's root folder.
                    var commandLine = File.ReadAllText($"/proc/{process.Id.ToString(CultureInfo.InvariantCulture)}/cmdline").Replace('\0', ' ');
                    if (commandLine.StartsWith("unshare ", StringComparison.Ordinal) && commandLine.Contains(" " + root + " ", StringComparison.Ordinal))
                    {
                        process.Kill(entireProcessTree: true);
                    }
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
                catch (InvalidOperationException)
                {
                }
            }
        }
    }

    private IEnumerable<string> LayersInUse() => instances.Values.SelectMany(instance => instance.Layers);

    private async Task StartAsync(LocalInstance instance)
    {
        try
        {
            await instance.StartAsync(disposing.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is InvalidOperationException or IOException or OperationCanceledException)
        {
            Output.Say(instance.BuilderName, $"local instance {instance.InstanceId} did not start: {error.Message}");
        }
    }

    /// <summary>
    /// Completes when the instance's latest start (launch, start or reboot) has ended, running or failed: what to await
    /// instead of polling <see cref="LocalInstance.State"/>. Never throws; an unknown instance completes at once.
    /// </summary>
    public Task WaitStartedAsync(string instanceId) =>
        starting.TryGetValue(instanceId, out var task) ? task : Task.CompletedTask;

    private void OnRebooted(LocalInstance instance)
    {
        if (disposing.IsCancellationRequested || !instances.ContainsKey(instance.InstanceId))
        {
            return;
        }

        starting[instance.InstanceId] = StartAsync(instance);
    }

    private void CancelRunning(string instanceId, string reason)
    {
        _ = reason;
        foreach (var (key, source) in cancellations)
        {
            if (key.EndsWith("/" + instanceId, StringComparison.Ordinal))
            {
                source.Cancel();
            }
        }
    }

    private async Task RunAsync(LocalInstance instance, LocalCommandInvocation invocation, CancellationToken cancellationToken)
    {
        var key = Key(invocation.CommandId, invocation.InstanceId);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(invocation.ExecutionTimeoutSeconds));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        (string Status, int Code, string? Details) ended;
        try
        {
            while (true)
            {
                if (await RunOnceAsync(instance, invocation, stop.Token).ConfigureAwait(false) is { } outcome)
                {
                    ended = outcome;
                    break;
                }

                // exit 194: the agent reboots the instance, then runs the script again.
                Output.Say(instance.BuilderName, $"local instance {instance.InstanceId} reboots (the script exited 194) and its script runs again");
                // Not RebootAsync: that cancels the instance's commands, this one among them.
                await instance.StopAsync().ConfigureAwait(false);
                starting[instance.InstanceId] = StartAsync(instance);
                await WaitStartedAsync(instance.InstanceId).WaitAsync(stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            ended = (timeout.IsCancellationRequested ? "TimedOut" : "Cancelled", -1, null);
        }
        catch (Exception error) when (error is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            invocation.AppendError($"bakery local stand-in: {error.Message}");
            ended = ("Failed", -1, null);
        }
        finally
        {
            cancellations.TryRemove(key, out var source);
            source?.Dispose();
        }

        // The output goes to S3 before the invocation reports that it ended, so a caller that reads it once the status is
        // final finds it.
        await WriteOutputToS3Async(invocation).ConfigureAwait(false);
        invocation.End(ended.Status, ended.Code, DateTimeOffset.UtcNow, ended.Details);
    }

    /// <summary>Runs the commands once; null when they asked for a reboot (exit 194).</summary>
    private async Task<(string Status, int Code, string? Details)?> RunOnceAsync(LocalInstance instance, LocalCommandInvocation invocation, CancellationToken cancellationToken)
    {
        if (instance.State != LocalInstanceState.Running)
        {
            throw new InvalidOperationException($"instance {instance.InstanceId} is {instance.State.ToString().ToLowerInvariant()}");
        }

        var powerShell = invocation.DocumentName == "AWS-RunPowerShellScript";
        var folder = $"/var/lib/amazon/ssm/{invocation.InstanceId}/document/orchestration/{invocation.CommandId}/{invocation.PluginFolder}/0.{invocation.PluginFolder}";
        var hostFolder = instance.HostPath(folder);
        Directory.CreateDirectory(hostFolder);
        var scriptName = powerShell ? "_script.ps1" : "_script.sh";
        await File.WriteAllTextAsync(Path.Combine(hostFolder, scriptName), string.Concat(invocation.Commands.Select(line => line + "\n")), cancellationToken)
            .ConfigureAwait(false);
        string[] command;
        if (powerShell)
        {
            if (PowerShellCommand(instance, scriptName) is not { } pwsh)
            {
                const string NotRun = "PowerShell is not run locally: this local instance has no pwsh (none in the image, and PowerShell is not installed " +
                    "on this machine: infra/local/pwsh.sh installs it), so the stand-in did not run the script. Install it, or test the script on AWS.";
                invocation.AppendError(NotRun);
                Output.Say(instance.BuilderName, NotRun);
                return ("Failed", 1, null);
            }

            command = pwsh;
        }
        else
        {
            command = ["/bin/sh", scriptName];
        }

        invocation.Started(DateTimeOffset.UtcNow);
        using var process = instance.StartCommand(command, folder);
        var target = instance.BuilderName ?? "amazon-ebs";
        var stdout = PumpAsync(process.StandardOutput, line => { invocation.AppendOutput(line); Output.Line(target, line); });
        var stderr = PumpAsync(process.StandardError, line => { invocation.AppendError(line); Output.Line(target, line); });
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            await Task.WhenAll(stdout, stderr).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        // A process the script left running in the background may hold its output open: what it writes after the
        // script ended is not the command's output, and it must not keep the command InProgress.
        await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        var code = process.ExitCode;
        if (code > 128)
        {
            // Killed by a signal: when the instance's init went away (a `reboot` in the script), the agent lost the
            // command without an exit code, as SSM reports a reboot the script did not announce with exit 194.
            for (var i = 0; i < 50 && instance.State == LocalInstanceState.Running && instance.HasInit; i++)
            {
                await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
            }

            if (instance.State != LocalInstanceState.Running || !instance.HasInit)
            {
                Output.Say(instance.BuilderName, $"local instance {instance.InstanceId} rebooted while the command ran");
                return ("Failed", -1, "Failed");
            }
        }

        return code switch
        {
            0 => ("Success", 0, null),
            194 when !powerShell => null,
            3010 when powerShell => null,
            _ => ("Failed", code, null),
        };
    }

    /// <summary>
    /// How pwsh runs <paramref name="scriptName"/> in <paramref name="instance"/>: with the image's own pwsh, else the
    /// host's bound in; null when neither is there. Bakery's powershell provisioner targets Windows (its scripts go to
    /// C:/Windows/Temp) and local instances are Linux, so pwsh gets a C: drive on the instance's /run (for PowerShell
    /// paths, and for .NET's, which resolve "C:/..." against the process's current directory).
    /// </summary>
    private static string[]? PowerShellCommand(LocalInstance instance, string scriptName)
    {
        const string CDrive = "New-PSDrive -Name C -PSProvider FileSystem -Root /run/bakery/c -Scope Global | Out-Null; [Environment]::CurrentDirectory = '/run/bakery'; ";
        string[] arguments = ["-NoLogo", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-Command", $"{CDrive}& ./{scriptName}; exit $LASTEXITCODE"];
        if (((string[])["/usr/bin/pwsh", "/opt/microsoft/powershell/7/pwsh"]).FirstOrDefault(path => File.Exists(instance.HostPath(path))) is { } own)
        {
            return ["/usr/bin/env", "NO_COLOR=1", own, .. arguments];
        }

        if (instance.PowerShell is not null && File.Exists(instance.HostPath(HostPowerShell.ExecutableInInstance)))
        {
            return ["/usr/bin/env", "NO_COLOR=1", .. HostPowerShell.EnvironmentInInstance, HostPowerShell.ExecutableInInstance, .. arguments];
        }

        return null;
    }

    private async Task WriteOutputToS3Async(LocalCommandInvocation invocation)
    {
        if (invocation.OutputS3BucketName is not { Length: > 0 } bucket || PutObject is null)
        {
            return;
        }

        var prefix = string.IsNullOrEmpty(invocation.OutputS3KeyPrefix) ? "" : invocation.OutputS3KeyPrefix.TrimEnd('/') + "/";
        var folder = $"{prefix}{invocation.CommandId}/{invocation.InstanceId}/{invocation.PluginFolder}/0.{invocation.PluginFolder}";
        try
        {
            if (invocation.Output.Length > 0)
            {
                await PutObject(bucket, folder + "/stdout", invocation.Output, CancellationToken.None).ConfigureAwait(false);
            }

            if (invocation.Error.Length > 0)
            {
                await PutObject(bucket, folder + "/stderr", invocation.Error, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            Output.Say(null, $"could not write the output of command {invocation.CommandId} to s3://{bucket}/{folder}: {error.Message}");
        }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            onLine(line);
        }
    }

    private static string Key(string commandId, string instanceId) => commandId + "/" + instanceId;
}
