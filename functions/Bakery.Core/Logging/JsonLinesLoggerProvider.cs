using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Bakery.Core.Logging;

/// <summary>
/// Writes every <see cref="ILogger"/> line as one JSON object in Lambda's JSON log format: <c>timestamp, level,
/// message</c>, then the fields of the open scopes (<c>requestId, buildId, step</c>, see <see cref="LogScopes"/>) and of the
/// message's own placeholders (e.g. a retry's <c>operation, attempt, delayMs</c>), then <c>errorType, errorMessage,
/// stackTrace</c> when an exception comes with the line. Messages are written as given: sensitive values are masked by
/// the step that knows them, before they reach a message (docs/security.md).
/// </summary>
public sealed class JsonLinesLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private const string OriginalFormat = "{OriginalFormat}";

    private readonly TextWriter output;
    private readonly TimeProvider clock;
    private readonly Lock writing = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    /// <param name="output">Where lines go (stdout in the bootstrap); not disposed here.</param>
    /// <param name="minimumLevel">Lines below it are dropped (<see cref="LambdaLogLevels.Parse"/> reads Lambda's setting).</param>
    /// <param name="clock">The lines' timestamps.</param>
    public JsonLinesLoggerProvider(TextWriter output, LogLevel minimumLevel, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(clock);
        this.output = output;
        this.clock = clock;
        MinimumLevel = minimumLevel;
    }

    public LogLevel MinimumLevel { get; }

    /// <summary>Every logger of this provider writes the same fields whatever its category (Lambda's format has none).</summary>
    public ILogger CreateLogger(string categoryName) => new JsonLinesLogger(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        ArgumentNullException.ThrowIfNull(scopeProvider);
        scopes = scopeProvider;
    }

    public void Dispose()
    {
        // The writer belongs to whoever made this provider.
    }

    internal bool IsEnabled(LogLevel level) => level != LogLevel.None && level >= MinimumLevel;

    internal IDisposable BeginScope<TState>(TState state) => scopes.Push(state);

    internal void Write<TState>(LogLevel level, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var fields = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        scopes.ForEachScope(static (scope, collected) => Collect(scope, collected), fields);
        Collect(state, fields);

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteString("level", LambdaLogLevels.Name(level));
            json.WriteString("message", Clean(formatter(state, exception)));
            foreach (var (name, value) in fields)
            {
                json.WritePropertyName(name);
                WriteValue(json, value);
            }

            if (exception is not null)
            {
                json.WriteString("errorType", exception.GetType().Name);
                json.WriteString("errorMessage", Clean(MessageOf(exception)));
                json.WriteStartArray("stackTrace");
                foreach (var frame in (exception.StackTrace ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    json.WriteStringValue(Clean(frame));
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.WrittenSpan);
        lock (writing)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    /// <summary>
    /// Text JSON can carry: a lone surrogate (in an exception's message, say) becomes U+FFFD instead of making the line
    /// unwritable, since a log call must never throw in place of the failure it reports.
    /// </summary>
    private static string Clean(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    private static string MessageOf(Exception exception)
    {
        try
        {
            return exception.Message;
        }
        catch (Exception reading) when (reading is not OutOfMemoryException)
        {
            return $"(the message could not be read: {reading.GetType().Name})";
        }
    }

    /// <summary>A scope's or a message's named values, inner ones replacing outer ones of the same name.</summary>
    private static void Collect(object? values, OrderedDictionary<string, object?> fields)
    {
        if (values is not IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            return;
        }

        foreach (var (name, value) in pairs)
        {
            if (name != OriginalFormat && !LogFields.Reserved.Contains(name))
            {
                fields[name] = value;
            }
        }
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(Clean(text));
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case int or long or short or byte or uint or ushort or sbyte:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double or float or decimal:
                json.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset time:
                json.WriteStringValue(time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteStringValue(Clean(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
                break;
        }
    }
}
