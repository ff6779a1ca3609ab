using System.Runtime.InteropServices;

namespace Bakery.Cli.Build;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM as cancellations, the way Packer takes them: the first one stops the build and cleans
/// up (the process stays alive for that); a second one stops the cleanup too, leaving what is left and saying how to
/// remove it. The exit code is the shell's for the first signal: 128 + its number.
/// </summary>
internal sealed class Interrupts : IDisposable
{
    private readonly CancellationTokenSource _build = new();
    private readonly CancellationTokenSource _cleanup = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _count;

    public Interrupts()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                Signal ??= context.Signal;
                (Interlocked.Increment(ref _count) == 1 ? _build : _cleanup).Cancel();
            }));
        }
    }

    /// <summary>Cancelled by the first signal: stop the build.</summary>
    public CancellationToken Token => _build.Token;

    /// <summary>Cancelled by the second signal: stop cleaning up.</summary>
    public CancellationToken CleanupToken => _cleanup.Token;

    public PosixSignal? Signal { get; private set; }

    /// <summary>130 after Ctrl-C (SIGINT), 143 after SIGTERM: what a shell reports for a command its signal stopped.</summary>
    public int ExitCode => Signal == PosixSignal.SIGTERM ? 143 : 130;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _build.Dispose();
        _cleanup.Dispose();
    }
}
