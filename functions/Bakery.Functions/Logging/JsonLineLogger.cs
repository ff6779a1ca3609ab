using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Bakery.Functions.Logging;

/// <summary>
/// Writes one JSON object per line in Lambda's JSON log format (timestamp, level, message, requestId) plus the
/// build id and step, so CloudWatch Logs Insights can filter a build's lines. Messages are written as given: sensitive
/// values are masked by the step that knows them, before they reach a message (docs/security.md).
/// One invocation runs at a time per process, so the request/build/step fields are plain properties.
/// </summary>
internal sealed class JsonLineLogger(TextWriter output, LambdaLogLevel minimumLevel, TimeProvider clock)
{
    public const string LevelVariable = "AWS_LAMBDA_LOG_LEVEL";
    private readonly Lock writing = new();

    public LambdaLogLevel MinimumLevel => minimumLevel;
    public string? RequestId { get; set; }
    public string? BuildId { get; set; }
    public string? Step { get; set; }

    /// <summary>Reads <c>AWS_LAMBDA_LOG_LEVEL</c> (TRACE, DEBUG, INFO, WARN, ERROR, FATAL); INFO when unset or unknown.</summary>
    public static LambdaLogLevel ParseLevel(string? value) =>
        Enum.TryParse<LambdaLogLevel>(value, ignoreCase: true, out var level) && Enum.IsDefined(level) ? level : LambdaLogLevel.Info;

    public bool IsEnabled(LambdaLogLevel level) => level >= minimumLevel;

    public void Log(LambdaLogLevel level, string message)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", level.ToString().ToUpperInvariant());
            json.WriteString("message", message);
            WriteIfSet(json, "requestId", RequestId);
            WriteIfSet(json, "buildId", BuildId);
            WriteIfSet(json, "step", Step);
            json.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.WrittenSpan);
        lock (writing)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
