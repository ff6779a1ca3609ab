using System.Runtime.InteropServices;

namespace Bakery.Cli.Build;

/// <summary>Ctrl-C (SIGINT) and SIGTERM as a cancellation: the first one stops the build and cleans up; the process stays alive for that.</summary>
internal sealed class Interrupts : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly List<PosixSignalRegistration> _registrations = [];

    public Interrupts()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                Signal = context.Signal;
                _source.Cancel();
            }));
        }
    }

    public CancellationToken Token => _source.Token;

    public PosixSignal? Signal { get; private set; }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }
}
