namespace Bakery.Core.Exceptions;

/// <summary>
/// A build's wait loops used its share of the execution's history events (Step Functions' 25,000-event quota): the step
/// gives up while the workflow can still run Teardown, instead of the execution failing hard with resources left.
/// </summary>
public sealed class HistoryBudgetExhausted : BakeryException
{
    public HistoryBudgetExhausted(string message)
        : base(message)
    {
    }

    public HistoryBudgetExhausted(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
