using Microsoft.Extensions.Logging;

namespace Bakery.Core.Logging;

/// <summary>
/// The scopes an invocation opens: every line logged inside one (by the host, a step, the retry) carries its fields.
/// Scopes flow with the async call, so nothing is set on a shared logger and nothing outlives the invocation.
/// </summary>
public static class LogScopes
{
    /// <summary>The Lambda invocation: its request id.</summary>
    public static IDisposable? Invocation(ILogger logger, string requestId)
    {
        ArgumentNullException.ThrowIfNull(logger);
        return logger.BeginScope(new Dictionary<string, object?>(StringComparer.Ordinal) { [LogFields.RequestId] = requestId });
    }

    /// <summary>The step serving the invocation, and the build once it is known (Prepare learns it only from its input).</summary>
    public static IDisposable? Step(ILogger logger, string step, string? buildId = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (buildId is not null)
        {
            fields[LogFields.BuildId] = buildId;
        }

        fields[LogFields.Step] = step;
        return logger.BeginScope(fields);
    }
}
