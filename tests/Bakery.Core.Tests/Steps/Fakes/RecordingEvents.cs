using Bakery.Core.Aws;

namespace Bakery.Core.Tests.Steps.Fakes;

/// <summary>EventBridge for unit tests: keeps what was put, on which bus.</summary>
internal sealed class RecordingEvents : IEvents
{
    public List<(string Bus, BuildEvent Event)> Put { get; } = [];

    public Task PutAsync(string eventBusName, IReadOnlyList<BuildEvent> events, CancellationToken cancellationToken)
    {
        Put.AddRange(events.Select(e => (eventBusName, e)));
        return Task.CompletedTask;
    }
}
