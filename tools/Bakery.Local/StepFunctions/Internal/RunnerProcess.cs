using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace Bakery.Local.StepFunctions.Internal;

/// <summary>
/// One <c>node run.mjs --serve</c> process running many executions side by side (see run.mjs for the line protocol):
/// start and abort lines go in on stdin, and every output line, <c>"ID " + line</c>, goes to its execution's channel.
/// When the process ends, every execution still waiting fails with the runner's exit code and the end of its stderr.
/// </summary>
internal sealed class RunnerProcess : IAsyncDisposable
{
    private const int StderrTailChars = 8_000;
    private static readonly TimeSpan ExitPatience = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly StderrTail _stderr;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Dictionary<string, Channel<string>> _executions = new(StringComparer.Ordinal);
    private readonly Task _reading;
    private Exception? _ended;

    private RunnerProcess(Process process)
    {
        _process = process;
        _stderr = new StderrTail(process, StderrTailChars);
        _reading = Task.Run(ReadAsync);
    }

    public static RunnerProcess Start(ProcessStartInfo start)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        return new RunnerProcess(process);
    }

    public int ProcessId => _process.Id;

    /// <summary>False once the process has ended (the next execution needs a new one).</summary>
    public bool IsRunning
    {
        get
        {
            lock (_executions)
            {
                return _ended is null;
            }
        }
    }

    /// <summary>The lines of execution <paramref name="id"/>, from now on; null when the process has ended.</summary>
    public ChannelReader<string>? Register(string id)
    {
        var channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        lock (_executions)
        {
            if (_ended is not null)
            {
                return null;
            }

            _executions.Add(id, channel);
        }

        return channel.Reader;
    }

    /// <summary>Forgets an execution: its later lines (an aborted run's last events) are dropped.</summary>
    public void Unregister(string id)
    {
        lock (_executions)
        {
            _executions.Remove(id);
        }
    }

    /// <summary>
    /// Writes one protocol line. A process that has ended cannot take it; that is not an error here, because the
    /// reader fails every registered execution when the process ends.
    /// </summary>
    public async Task SendAsync(string line)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Ended (or disposed): see ReadAsync.
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // End of stdin ends the runner (aborting what still runs); a runner that does not go is killed.
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
        finally
        {
            _writeLock.Release();
        }

        using (var patience = new CancellationTokenSource(ExitPatience))
        {
            try
            {
                await _process.WaitForExitAsync(patience.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                TryKill();
            }
        }

        // The write lock stays undisposed: a cancelled run may still send its abort line (a no-op by then).
        await _reading.ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                if (space <= 0)
                {
                    continue;
                }

                Channel<string>? channel;
                lock (_executions)
                {
                    _executions.TryGetValue(line[..space], out channel);
                }

                channel?.Writer.TryWrite(line[(space + 1)..]);
            }

            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            TryKill();
        }

        // Let stderr's last lines arrive before quoting them.
        _process.WaitForExit();
        var ended = new InvalidOperationException(
            $"the local Step Functions runner exited with code {ExitCode()} without a result:\n{_stderr.Text}");
        List<Channel<string>> waiting;
        lock (_executions)
        {
            _ended = ended;
            waiting = [.. _executions.Values];
            _executions.Clear();
        }

        foreach (var channel in waiting)
        {
            channel.Writer.TryComplete(ended);
        }
    }

    private string ExitCode()
    {
        try
        {
            return _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "(unknown)";
        }
    }

    private void TryKill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
