using System.Text.Json;

namespace Bakery.Testing;

/// <summary>What a <see cref="Bakery.Core.Logging.JsonLinesLoggerProvider"/> wrote to a captured writer, one JSON object a line.</summary>
public static class LogLines
{
    public static IReadOnlyList<JsonElement> Parse(StringWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)];
    }

    /// <summary>The field as text (a number as written), or null when the line has no such field.</summary>
    public static string? Text(this JsonElement line, string field) =>
        line.TryGetProperty(field, out var value) ? value.ToString() : null;
}
