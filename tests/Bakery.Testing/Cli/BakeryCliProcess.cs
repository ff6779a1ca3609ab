using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit;

namespace Bakery.Testing.Cli;

/// <summary>
/// The <c>bakery</c> CLI run as a user runs it, through the repository's <c>bakery</c> script (the CLI that script
/// publishes): its own process (and, through <c>setsid</c>, its own process group, as a terminal gives it), the test
/// process's environment (so <c>AWS_ENDPOINT_URL</c> points it at moto) with the caller's changes, no colors, both
/// streams read line by line as they come, a timeout that kills it, and Ctrl-C (<see cref="InterruptAsync"/>).
/// </summary>
public sealed class BakeryCliProcess : IDisposable
{
    /// <summary>How long a run may take unless the caller says otherwise (<see cref="WaitForExitAsync"/>).</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(8);
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _lineAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// The script, once this process made sure the CLI is published: tests/run does that before the tests start, so
    /// this waits only when the tests run on their own after a source change (the script builds one at a time), and
    /// never inside a run a test times or interrupts.
    /// </summary>
    private static readonly Lazy<string> Script = new(PublishedScript);

    private static string PublishedScript()
    {
        var script = RepositoryPaths.Combine("bakery");
        var (exitCode, _, stderr) = RealShells.RunAsync(script, ["--version"], RepositoryPaths.Root).GetAwaiter().GetResult();
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{script} --version failed ({exitCode}): {stderr}");
        }

        return script;
    }

    private BakeryCliProcess(Process process)
    {
        _process = process;
    }

    /// <summary>
    /// Starts <c>bakery ARGUMENTS</c> in <paramref name="workingDirectory"/>; <paramref name="environment"/> sets
    /// variables, and removes those it maps to null.
    /// </summary>
    public static BakeryCliProcess Start(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        // setsid: the CLI leads its own process group, so a signal to the group reaches it and its children as
        // Ctrl-C in a terminal does, and never reaches the test host.
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Script.Value);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_COLOR"] = "1";
        // These runs test the CLI and the workflow, and their scripts are fixtures (the seed's apt install among them):
        // instances keep moto's behaviour unless a test turns them on (LocalInstancesTests runs scripts for real).
        start.Environment["BAKERY_LOCAL_INSTANCES_MODE"] = "off";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = start };
        var cli = new BakeryCliProcess(process);
        process.OutputDataReceived += (_, e) => cli.OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) => cli.OnStderr(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs the CLI to its end.</summary>
    public static async Task<CliResult> RunAsync(string workingDirectory, params string[] arguments)
    {
        using var cli = Start(workingDirectory, null, arguments);
        return await cli.WaitForExitAsync();
    }

    public int ProcessId => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Waits until the CLI printed a line containing <paramref name="text"/> (false: it ended without one).</summary>
    public async Task<bool> WaitForLineAsync(string text)
    {
        using var timeout = new CancellationTokenSource(RunTimeout);
        while (true)
        {
            Task added;
            lock (_gate)
            {
                if (_lines.Any(line => line.Contains(text, StringComparison.Ordinal)))
                {
                    return true;
                }

                added = _lineAdded.Task;
            }

            if (await Task.WhenAny(added, _stdoutClosed.Task).WaitAsync(timeout.Token) == _stdoutClosed.Task && !added.IsCompleted)
            {
                lock (_gate)
                {
                    return _lines.Any(line => line.Contains(text, StringComparison.Ordinal));
                }
            }
        }
    }

    /// <summary>SIGINT (2) in /proc/PID/status's signal masks: bit 2 - 1.</summary>
    private const ulong SigIntBit = 1UL << 1;

    /// <summary>Sends SIGINT to the CLI's whole process group, as Ctrl-C in its terminal would.</summary>
    public async Task InterruptAsync()
    {
        // If a signal is ever lost, this says whether the CLI had it blocked or ignored (inherited from the test host).
        var signals = File.ReadAllLines($"/proc/{_process.Id}/status").Where(l => l.StartsWith("SigBlk", StringComparison.Ordinal) || l.StartsWith("SigIgn", StringComparison.Ordinal)).ToList();
        lock (_gate)
        {
            _stderr.AppendLine("(test) signal masks before SIGINT: " + string.Join(", ", signals));
        }

        // A process started as a background job of a non-interactive shell inherits SIGINT ignored (POSIX), and so does
        // everything it starts: Ctrl-C could never reach the CLI, so the test would judge the environment, not the CLI.
        var ignored = signals.FirstOrDefault(l => l.StartsWith("SigIgn", StringComparison.Ordinal));
        if (ignored is not null && (ulong.Parse(ignored["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & SigIntBit) != 0)
        {
            Assert.Fail("The CLI inherited SIGINT ignored from the test host (" + ignored.Trim() + "): run the tests in the foreground or reset it (tests/run starts each part with `env --default-signal=INT`).");
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", "--", "-" + _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the CLI's end and both streams' (default <see cref="RunTimeout"/>); past it, kills it and throws.</summary>
    public async Task<CliResult> WaitForExitAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? RunTimeout;
        using var expiry = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(expiry.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(expiry.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bakery did not finish within {limit}:\n{Stdout}\n{_stderr}");
        }

        lock (_gate)
        {
            return new CliResult(_process.ExitCode, Stdout, _stderr.ToString());
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void OnStdout(string? line)
    {
        if (line is null)
        {
            _stdoutClosed.TrySetResult();
            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
            var added = _lineAdded;
            _lineAdded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            added.TrySetResult();
        }
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            _stderrClosed.TrySetResult();
            return;
        }

        lock (_gate)
        {
            _stderr.AppendLine(line);
        }
    }
}
