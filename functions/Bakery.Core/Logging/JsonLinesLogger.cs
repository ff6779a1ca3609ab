using Microsoft.Extensions.Logging;

namespace Bakery.Core.Logging;

/// <summary>One <see cref="JsonLinesLoggerProvider"/> logger: the provider holds the level, the scopes and the writer.</summary>
internal sealed class JsonLinesLogger(JsonLinesLoggerProvider provider) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => provider.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => provider.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel))
        {
            provider.Write(logLevel, state, exception, formatter);
        }
    }
}
