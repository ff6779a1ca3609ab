using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Bakery.Core.BuildFiles.Internal;

/// <summary>
/// Reads a JSON document into <see cref="JsonNode"/>s that remember where they were written. Strict like Packer: comments,
/// trailing commas and duplicate keys are errors; a UTF-8 byte-order mark is skipped; other encodings are refused clearly.
/// </summary>
internal static class JsonTreeReader
{
    /// <summary>Largest build or var file accepted (documented in docs/build-files.md).</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>Deepest nesting accepted; real build files stay under 10 levels, and this keeps the reader's stack small.</summary>
    public const int MaxDepth = 64;

    /// <summary>Parses <paramref name="content"/>; on malformed JSON reports one error to <paramref name="bag"/> and returns null.</summary>
    public static JsonNode? Read(ReadOnlyMemory<byte> content, DiagnosticBag bag)
    {
        var start = new SourcePosition(1, 1);
        if (content.Length > MaxFileBytes)
        {
            bag.Error(start, "", $"the file is {content.Length} bytes; the limit is {MaxFileBytes} bytes (4 MiB)");
            return null;
        }

        var span = content.Span;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            bag.Error(start, "", "the file is UTF-16 encoded; save it as UTF-8");
            return null;
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            content = content[3..];
            span = content.Span;
        }

        var lines = new LineIndex(content);
        if (!Utf8.IsValid(span))
        {
            var offset = FindInvalidUtf8(span);
            bag.Error(lines.GetPosition(offset), "", $"the file is not valid UTF-8 (byte 0x{span[offset]:X2}); save it as UTF-8");
            return null;
        }

        if (span.Trim(" \t\r\n"u8).IsEmpty)
        {
            bag.Error(start, "", "the file is empty; a build file is a JSON object");
            return null;
        }

        var reader = new Utf8JsonReader(span, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            MaxDepth = MaxDepth,
        });
        var builder = new Builder(content, lines, bag);
        try
        {
            reader.Read();
            var root = builder.ReadValue(ref reader, LazyJsonPath.Root);
            // Anything after the root value (a second object, stray text) makes the reader throw here.
            if (reader.Read())
            {
                bag.Error(lines.GetPosition(reader.TokenStartIndex), "", "unexpected content after the end of the JSON document");
                return null;
            }

            return root;
        }
        catch (JsonException exception)
        {
            var lineStart = lines.GetLineStart((int)(exception.LineNumber ?? 0));
            var offset = lineStart + (int)(exception.BytePositionInLine ?? 0);
            bag.Error(lines.GetPosition(offset), "", Explain(exception, span, offset));
            return null;
        }
    }

    private static int FindInvalidUtf8(ReadOnlySpan<byte> span)
    {
        var offset = 0;
        while (offset < span.Length)
        {
            if (Rune.DecodeFromUtf8(span[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return Math.Max(0, span.Length - 1);
    }

    /// <summary>Turns the reader's message into one a build-file author understands.</summary>
    private static string Explain(JsonException exception, ReadOnlySpan<byte> span, int offset)
    {
        var message = exception.Message;
        var at = offset < span.Length ? span[offset] : (byte)0;
        if (message.Contains("trailing comma", StringComparison.OrdinalIgnoreCase))
        {
            return "trailing comma: JSON does not allow a comma before '}' or ']'";
        }

        if (at == '/' && offset + 1 < span.Length && (span[offset + 1] == '/' || span[offset + 1] == '*'))
        {
            return "comments are not allowed in JSON (use a \"_comment\" key instead)";
        }

        if (message.Contains("depth", StringComparison.OrdinalIgnoreCase) && message.Contains("exceeded", StringComparison.OrdinalIgnoreCase))
        {
            return $"the JSON is nested deeper than {MaxDepth} levels";
        }

        if (message.Contains("after a single JSON value", StringComparison.OrdinalIgnoreCase))
        {
            return "unexpected content after the end of the JSON document (only one top-level object is allowed)";
        }

        if (offset >= span.Length || message.Contains("end of data", StringComparison.OrdinalIgnoreCase)
            || message.Contains("Expected depth to be zero", StringComparison.OrdinalIgnoreCase))
        {
            return "unexpected end of file: an object or array is not closed";
        }

        if (at == '\'')
        {
            return "strings must use double quotes (\"), not single quotes";
        }

        // Drop the reader's own "LineNumber: x | BytePositionInLine: y." suffix: our location is better.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var text = (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
        return "invalid JSON: " + text;
    }

    private sealed class Builder(ReadOnlyMemory<byte> content, LineIndex lines, DiagnosticBag bag)
    {
        private const int MaxInternedNameBytes = 64;

        // Property names repeat across a file ("type", "inline", tag keys...): one string per distinct name keeps a
        // large file's tree smaller, which is most of what loading it costs in garbage collection.
        private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

        public JsonNode ReadValue(ref Utf8JsonReader reader, LazyJsonPath path)
        {
            var position = lines.GetPosition(reader.TokenStartIndex);
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    return ReadObject(ref reader, path, position);
                case JsonTokenType.StartArray:
                    return ReadArray(ref reader, path, position);
                case JsonTokenType.String:
                    return new JsonStringNode(position, path, reader.GetString() ?? "", reader.ValueIsEscaped ? RawText(ref reader) : null);
                case JsonTokenType.Number:
                    return new JsonScalarNode(position, path, JsonScalarKind.Number, Encoding.UTF8.GetString(reader.ValueSpan));
                case JsonTokenType.True:
                    return new JsonScalarNode(position, path, JsonScalarKind.Boolean, "true");
                case JsonTokenType.False:
                    return new JsonScalarNode(position, path, JsonScalarKind.Boolean, "false");
                default:
                    return new JsonScalarNode(position, path, JsonScalarKind.Null, "null");
            }
        }

        private string PropertyName(ref Utf8JsonReader reader)
        {
            if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxInternedNameBytes)
            {
                return reader.GetString() ?? "";
            }

            Span<char> chars = stackalloc char[MaxInternedNameBytes];
            var count = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
            var lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(chars[..count], out var name))
            {
                name = new string(chars[..count]);
                _names.Add(name, name);
            }

            return name;
        }

        private string RawText(ref Utf8JsonReader reader)
        {
            // TokenStartIndex is the opening quote; the raw text runs to the closing one.
            var start = (int)reader.TokenStartIndex + 1;
            return Encoding.UTF8.GetString(content.Span.Slice(start, reader.ValueSpan.Length));
        }

        private JsonObjectNode ReadObject(ref Utf8JsonReader reader, LazyJsonPath path, SourcePosition position)
        {
            var properties = new List<JsonProperty>();
            HashSet<string>? names = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = PropertyName(ref reader);
                var namePosition = lines.GetPosition(reader.TokenStartIndex);
                var childPath = path.Property(name);
                names ??= new HashSet<string>(StringComparer.Ordinal);
                reader.Read();
                var value = ReadValue(ref reader, childPath);
                if (names.Add(name))
                {
                    properties.Add(new JsonProperty(name, namePosition, value));
                    continue;
                }

                // Reported, and the later value wins (as Go's encoding/json would), so the rest of the file is still checked.
                var index = properties.FindIndex(p => p.Name == name);
                var first = properties[index].NamePosition;
                bag.Error(namePosition, childPath.ToString(), $"duplicate key \"{name}\" (first defined at line {first.Line}, column {first.Column})");
                properties[index] = new JsonProperty(name, first, value);
            }

            return new JsonObjectNode(position, path, properties);
        }

        private JsonArrayNode ReadArray(ref Utf8JsonReader reader, LazyJsonPath path, SourcePosition position)
        {
            var items = new List<JsonNode>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                items.Add(ReadValue(ref reader, path.Index(items.Count)));
            }

            return new JsonArrayNode(position, path, items);
        }
    }
}
