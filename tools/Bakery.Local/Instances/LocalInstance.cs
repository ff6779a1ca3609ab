using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Bakery.Local.Instances;

/// <summary>
/// One local instance: an overlayfs root (its own upper layer over its image's layers) with its processes in their
/// own mount, PID, UTS and IPC namespaces (<c>unshare</c>, then <c>chroot</c>), sharing the host's network so the
/// loopback endpoints (the stand-in's S3 for presigned URLs) answer inside. The namespaces' first process (its
/// "init") holds them; stopping the instance kills it and with it every process inside, and the mounts vanish with
/// the mount namespace. Commands join the namespaces with <c>nsenter</c>.
/// </summary>
public sealed class LocalInstance
{
    internal const string ReadyMarker = "/run/.bakery-instance-up";

    // Runs on the host inside the new namespaces: mounts the instance's root and becomes its init. /dev is a small
    // tmpfs with the usual device nodes bound in (not the host's /dev, which a script could damage); /run and /tmp
    // are the instance's own; resolv.conf is the host's so package mirrors resolve. The init ends on TERM, which is
    // what the image's `reboot` sends it. With the host's PowerShell ($6, $7), the tool and its .NET runtime are bound
    // read-only on the instance's /run, with the C: drive the agent gives pwsh (see LocalInstances).
    private const string HolderScript = """
        set -e
        root=$1 lower=$2 upper=$3 work=$4 name=$5 pwsh=$6 dotnet=$7
        mount -t overlay overlay -o "lowerdir=$lower,upperdir=$upper,workdir=$work" "$root"
        mkdir -p "$root/proc" "$root/sys" "$root/dev" "$root/run" "$root/etc" "$root/tmp"
        mount -t proc proc "$root/proc"
        mount -t sysfs sysfs "$root/sys" 2>/dev/null || true
        mount -t tmpfs -o mode=0755,size=64m tmpfs "$root/dev"
        for node in null zero full random urandom tty; do
          : >"$root/dev/$node"
          mount --bind "/dev/$node" "$root/dev/$node"
        done
        mkdir -p "$root/dev/shm" "$root/dev/pts"
        mount -t tmpfs tmpfs "$root/dev/shm"
        ln -s /proc/self/fd "$root/dev/fd"
        ln -s /proc/self/fd/0 "$root/dev/stdin"
        ln -s /proc/self/fd/1 "$root/dev/stdout"
        ln -s /proc/self/fd/2 "$root/dev/stderr"
        mkdir -p "$root/run"
        mount -t tmpfs -o mode=0755 tmpfs "$root/run"
        mkdir -p "$root/run/bakery/c/Windows/Temp"
        ln -s c "$root/run/bakery/C:"
        if [ -n "$pwsh" ]; then
          mkdir -p "$root/run/bakery/pwsh" "$root/run/bakery/dotnet"
          mount --bind -o ro "$pwsh" "$root/run/bakery/pwsh"
          mount --bind -o ro "$dotnet" "$root/run/bakery/dotnet"
        fi
        rm -f "$root/etc/resolv.conf"
        cat /etc/resolv.conf >"$root/etc/resolv.conf" 2>/dev/null || true
        hostname "$name"
        exec chroot "$root" /bin/sh -c 'trap "exit 0" TERM; : >/run/.bakery-instance-up; while :; do sleep 86400 & wait $!; done'
        """;

    private readonly Lock gate = new();
    private Process? holder;
    private int initProcessId;
    private TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool stopRequested;

    internal LocalInstance(string instanceId, string imageId, IReadOnlyList<string> layers, string folder, string? builderName, HostPowerShell? powerShell = null)
    {
        PowerShell = powerShell;
        InstanceId = instanceId;
        ImageId = imageId;
        Layers = layers;
        Folder = folder;
        BuilderName = builderName;
        HostName = "ip-127-0-0-1-" + instanceId[(instanceId.IndexOf('-', StringComparison.Ordinal) + 1)..];
    }

    public string InstanceId { get; }

    public string ImageId { get; }

    /// <summary>The image's layers, top first, the base root filesystem last.</summary>
    public IReadOnlyList<string> Layers { get; }

    public string Folder { get; }

    /// <summary>The build name Bakery tagged the instance with (<c>bakery:builder</c>), for Packer-style output lines.</summary>
    public string? BuilderName { get; }

    public string HostName { get; }

    /// <summary>The host's PowerShell bound into the instance; null: only a pwsh of the image's own runs.</summary>
    public HostPowerShell? PowerShell { get; }

    public string UpperLayer => Path.Combine(Folder, "upper");

    public LocalInstanceState State { get; private set; } = LocalInstanceState.Pending;

    /// <summary>True while the instance's init (and so its namespaces) is alive.</summary>
    public bool HasInit => initProcessId > 0;

    /// <summary>Why the last start failed, for the agent's answer and the stand-in's log.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>Raised (on a pool thread) when the init ended without a stop: the instance rebooted (or its init crashed).</summary>
    public event Action<LocalInstance>? Rebooted;

    /// <summary>Mounts the root and starts the init; returns once commands can run.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(UpperLayer);
        var work = Path.Combine(Folder, "work");
        var root = Path.Combine(Folder, "root");
        Directory.CreateDirectory(work);
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(Folder, "instance.json"), new JsonObject
        {
            ["instanceId"] = InstanceId,
            ["imageId"] = ImageId,
            ["layers"] = new JsonArray([.. Layers.Select(layer => JsonValue.Create(layer))]),
        }.ToJsonString(), cancellationToken).ConfigureAwait(false);

        var start = new ProcessStartInfo("unshare")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["--mount", "--uts", "--ipc", "--pid", "--fork", "--propagation", "private", "--", "/bin/sh", "-c", HolderScript,
            "bakery-instance", root, string.Join(':', Layers), UpperLayer, work, HostName, PowerShell?.ToolFolder ?? "", PowerShell?.DotnetRoot ?? ""])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start unshare");
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        lock (gate)
        {
            holder = process;
            stopRequested = false;
            stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (process.HasExited)
            {
                State = LocalInstanceState.Failed;
                FailureReason = $"its root filesystem could not be set up: {(await errors.ConfigureAwait(false)).Trim()}";
                throw new InvalidOperationException($"local instance {InstanceId}: {FailureReason}");
            }

            var init = InitProcessOf(process.Id);
            if (init > 0 && File.Exists($"/proc/{init.ToString(CultureInfo.InvariantCulture)}/root{ReadyMarker}"))
            {
                initProcessId = init;
                break;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                Kill(process);
                State = LocalInstanceState.Failed;
                FailureReason = "its init did not come up within 30 s";
                throw new InvalidOperationException($"local instance {InstanceId}: {FailureReason}");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        State = LocalInstanceState.Running;
        FailureReason = null;
        _ = WatchAsync(process);
    }

    /// <summary>Kills every process of the instance (its PID namespace ends with its init); the files stay.</summary>
    public async Task StopAsync()
    {
        Process? running;
        Task ended;
        lock (gate)
        {
            running = holder;
            stopRequested = true;
            ended = stopped.Task;
        }

        if (running is not null && !running.HasExited)
        {
            KillInit();
            await ended.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }

        if (State != LocalInstanceState.Terminated)
        {
            State = LocalInstanceState.Stopped;
        }
    }

    /// <summary>Stops the instance and deletes its files.</summary>
    public async Task TerminateAsync()
    {
        await StopAsync().ConfigureAwait(false);
        State = LocalInstanceState.Terminated;
        DeleteFolder(Folder);
    }

    /// <summary>
    /// Starts <paramref name="command"/> inside the instance as root, in its namespaces and root, with a clean
    /// environment like the SSM agent's, in <paramref name="workingDirectory"/> (a path inside the instance).
    /// </summary>
    public Process StartCommand(IReadOnlyList<string> command, string workingDirectory)
    {
        var init = initProcessId;
        if (State != LocalInstanceState.Running || init <= 0)
        {
            throw new InvalidOperationException($"local instance {InstanceId} is {State.ToString().ToLowerInvariant()}");
        }

        var start = new ProcessStartInfo("nsenter")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["--target", init.ToString(CultureInfo.InvariantCulture), "--mount", "--uts", "--ipc", "--pid", "--root", "--wd",
            "--", "/usr/bin/env", "-i", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "USER=root", "LANG=C.UTF-8",
            "/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", workingDirectory])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in command)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start nsenter");
        process.StandardInput.Close();
        return process;
    }

    /// <summary>A host path for <paramref name="pathInInstance"/> while the instance runs (through its init's root).</summary>
    public string HostPath(string pathInInstance) =>
        $"/proc/{initProcessId.ToString(CultureInfo.InvariantCulture)}/root/{pathInInstance.TrimStart('/')}";

    /// <summary>The init of <paramref name="unsharePid"/>'s namespaces: its one child.</summary>
    private static int InitProcessOf(int unsharePid)
    {
        try
        {
            var children = File.ReadAllText($"/proc/{unsharePid}/task/{unsharePid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return children.Length > 0 ? int.Parse(children[0], CultureInfo.InvariantCulture) : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private async Task WatchAsync(Process process)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        bool requested;
        lock (gate)
        {
            requested = stopRequested;
            if (ReferenceEquals(holder, process))
            {
                holder = null;
                initProcessId = 0;
            }

            stopped.TrySetResult();
        }

        process.Dispose();
        if (!requested && State == LocalInstanceState.Running)
        {
            State = LocalInstanceState.Rebooting;
            Rebooted?.Invoke(this);
        }
    }

    private void KillInit()
    {
        var init = initProcessId;
        if (init > 0)
        {
            try
            {
                // Killing a PID namespace's init kills every process in it.
                Process.GetProcessById(init).Kill();
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    internal static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            // Overlay work folders hold entries only root may remove, which Directory.Delete handles; retry once for a
            // mount that was still going away.
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                Thread.Sleep(200);
                Directory.Delete(folder, recursive: true);
            }
            catch (UnauthorizedAccessException)
            {
                Thread.Sleep(200);
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
