using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Bakery.BuildFiles.Internal;

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

        var source = new JsonSource(content);
        if (!Utf8.IsValid(span))
        {
            var offset = FindInvalidUtf8(span);
            bag.Error(source.Lines.GetPosition(offset), "", $"the file is not valid UTF-8 (byte 0x{span[offset]:X2}); save it as UTF-8");
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
        var builder = new Builder(source, bag);
        try
        {
            reader.Read();
            var root = builder.ReadValue(ref reader, null, null, 0);
            // Anything after the root value (a second object, stray text) makes the reader throw here.
            if (reader.Read())
            {
                bag.Error(source.GetPosition((int)reader.TokenStartIndex), "", "unexpected content after the end of the JSON document");
                return null;
            }

            return root;
        }
        catch (JsonException exception)
        {
            var lineStart = source.Lines.GetLineStart((int)(exception.LineNumber ?? 0));
            var offset = lineStart + (int)(exception.BytePositionInLine ?? 0);
            bag.Error(source.Lines.GetPosition(offset), "", Explain(exception, span, offset));
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

    /// <summary>
    /// Turns the reader's error into one a build-file author understands. The reader's exception carries no code, so the
    /// kind of mistake is read from the bytes around the place it reports, never from its message's wording (which
    /// changes between .NET versions and is only shown, as a last resort).
    /// </summary>
    private static string Explain(JsonException exception, ReadOnlySpan<byte> span, int offset)
    {
        var message = exception.Message;
        var at = offset < span.Length ? span[offset] : (byte)0;
        var (depth, rootClosed) = Scan(span, Math.Min(offset, span.Length));
        if (at is (byte)'}' or (byte)']' && PreviousSignificant(span, offset) == ',')
        {
            return "trailing comma: JSON does not allow a comma before '}' or ']'";
        }

        if (at == '/' && offset + 1 < span.Length && (span[offset + 1] == '/' || span[offset + 1] == '*'))
        {
            return "comments are not allowed in JSON (use a \"_comment\" key instead)";
        }

        if (at is (byte)'{' or (byte)'[' && depth >= MaxDepth)
        {
            return $"the JSON is nested deeper than {MaxDepth} levels";
        }

        if (rootClosed)
        {
            return "unexpected content after the end of the JSON document (only one top-level object is allowed)";
        }

        if (offset >= span.Length || span[offset..].Trim(" \t\r\n"u8).IsEmpty)
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

    /// <summary>
    /// The nesting depth just before <paramref name="end"/>, and whether the top-level object or array was already closed
    /// there; brackets inside strings do not count.
    /// </summary>
    private static (int Depth, bool RootClosed) Scan(ReadOnlySpan<byte> span, int end)
    {
        int depth = 0;
        var rootClosed = false;
        var inString = false;
        for (var i = 0; i < end; i++)
        {
            var b = span[i];
            if (inString)
            {
                if (b == '\\')
                {
                    i++;
                }
                else if (b == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (b)
            {
                case (byte)'"':
                    inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    depth++;
                    break;
                case (byte)'}' or (byte)']':
                    depth--;
                    rootClosed |= depth == 0;
                    break;
            }
        }

        return (depth, rootClosed);
    }

    /// <summary>The last byte before <paramref name="offset"/> that is not JSON whitespace (0 when there is none).</summary>
    private static byte PreviousSignificant(ReadOnlySpan<byte> span, int offset)
    {
        for (var i = Math.Min(offset, span.Length) - 1; i >= 0; i--)
        {
            if (span[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return span[i];
            }
        }

        return 0;
    }

    private sealed class Builder(JsonSource source, DiagnosticBag bag)
    {
        private const int MaxInternedNameBytes = 64;

        // Past this many members an object checks for duplicate keys with a set instead of a scan.
        private const int MaxScannedMembers = 32;

        // Property names repeat across a file ("type", "inline", tag keys...): one string per distinct name keeps a
        // large file's tree smaller, which is most of what loading it costs in garbage collection.
        private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

        // Members and items of the objects and arrays being read, innermost last: each container copies its own run into an
        // array of the exact size when it ends, so no list (and no spare capacity) is kept per container.
        private readonly List<JsonProperty> _members = [];
        private readonly List<JsonNode> _items = [];

        public JsonNode ReadValue(ref Utf8JsonReader reader, JsonNode? parent, string? name, int index)
        {
            var offset = (int)reader.TokenStartIndex;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    return ReadObject(ref reader, new JsonObjectNode(source, parent, name, index, offset));
                case JsonTokenType.StartArray:
                    return ReadArray(ref reader, new JsonArrayNode(source, parent, name, index, offset));
                case JsonTokenType.String:
                    return new JsonStringNode(source, parent, name, index, offset, reader.ValueSpan.Length, reader.ValueIsEscaped ? reader.GetString() : null);
                case JsonTokenType.Number:
                    return new JsonScalarNode(source, parent, name, index, offset, JsonScalarKind.Number, Encoding.UTF8.GetString(reader.ValueSpan));
                case JsonTokenType.True:
                    return new JsonScalarNode(source, parent, name, index, offset, JsonScalarKind.Boolean, "true");
                case JsonTokenType.False:
                    return new JsonScalarNode(source, parent, name, index, offset, JsonScalarKind.Boolean, "false");
                default:
                    return new JsonScalarNode(source, parent, name, index, offset, JsonScalarKind.Null, "null");
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

        private JsonObjectNode ReadObject(ref Utf8JsonReader reader, JsonObjectNode node)
        {
            var start = _members.Count;
            HashSet<string>? names = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = PropertyName(ref reader);
                var nameOffset = (int)reader.TokenStartIndex;
                reader.Read();
                var value = ReadValue(ref reader, node, name, 0);
                var duplicate = IndexOfMember(start, name, ref names);
                if (duplicate < 0)
                {
                    _members.Add(new JsonProperty(name, nameOffset, value));
                    names?.Add(name);
                    continue;
                }

                // Reported, and the later value wins (as Go's encoding/json would), so the rest of the file is still checked.
                var first = _members[duplicate].NamePosition;
                bag.Error(source.GetPosition(nameOffset), value.Path, $"duplicate key \"{name}\" (first defined at line {first.Line}, column {first.Column})");
                _members[duplicate] = new JsonProperty(name, _members[duplicate].NameOffset, value);
            }

            node.SetProperties(TakeFrom(_members, start));
            return node;
        }

        /// <summary>Where <paramref name="name"/> already is among the members read since <paramref name="start"/>; -1 if new.</summary>
        private int IndexOfMember(int start, string name, ref HashSet<string>? names)
        {
            var count = _members.Count - start;
            if (count > MaxScannedMembers && names is null)
            {
                names = new HashSet<string>(count * 2, StringComparer.Ordinal);
                for (var i = start; i < _members.Count; i++)
                {
                    names.Add(_members[i].Name);
                }
            }

            if (names is not null && !names.Contains(name))
            {
                return -1;
            }

            for (var i = start; i < _members.Count; i++)
            {
                if (string.Equals(_members[i].Name, name, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }

        private JsonArrayNode ReadArray(ref Utf8JsonReader reader, JsonArrayNode node)
        {
            var start = _items.Count;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                _items.Add(ReadValue(ref reader, node, null, _items.Count - start));
            }

            node.SetItems(TakeFrom(_items, start));
            return node;
        }

        private static T[] TakeFrom<T>(List<T> stack, int start)
        {
            if (stack.Count == start)
            {
                return [];
            }

            var taken = CollectionsMarshal.AsSpan(stack)[start..].ToArray();
            stack.RemoveRange(start, stack.Count - start);
            return taken;
        }
    }
}
