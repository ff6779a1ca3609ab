namespace Bakery.Core.Aws;

/// <summary>Amazon EventBridge in the stack's region: puts Bakery's build events on one bus.</summary>
public interface IEvents
{
    /// <summary>Puts the events; throws when EventBridge refuses any of them (PutEvents reports that per entry).</summary>
    Task PutAsync(string eventBusName, IReadOnlyList<BuildEvent> events, CancellationToken cancellationToken);
}
