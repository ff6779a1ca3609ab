using System.Globalization;
using Bakery.BuildFiles.Templates;
using Bakery.Hcl;

namespace Bakery.BuildFiles.Internal;

/// <summary>
/// Reads the fields of one JSON object with Packer's weak typing (a number where a string is expected, a string where a
/// boolean or a list is expected), renders strings as templates, and remembers which keys it was asked about so that
/// <see cref="Finish"/> can report every other key with a "did you mean".
/// </summary>
internal sealed class ObjectReader(JsonObjectNode node, BindingScope scope)
{
    // Every key asked about, in order (repeats allowed): a list, because a reader asks for ~40 keys of which few are present,
    // and a set per builder and provisioner was a large share of what loading a big file allocated.
    // The list is the thread's spare when there is one, handed back by Finish: a new list (and its 32-slot array) per
    // provisioner was 5 % of what a 1 MB HCL2 template allocated (docs/benchmarks.md 1b). A reader opened inside
    // another finds no spare and takes a new list.
    private List<string>? _known = TakeSpareList();

    [ThreadStatic]
    private static List<string>? t_spareKnown;

    private List<string> Known => _known ??= TakeSpareList();

    private static List<string> TakeSpareList()
    {
        var list = t_spareKnown ?? new List<string>(32);
        t_spareKnown = null;
        return list;
    }

    public JsonObjectNode Node { get; } = node;

    public BindingScope Scope { get; } = scope;

    private DiagnosticBag Bag => Scope.Bag;

    /// <summary>
    /// Opens one builder, provisioner or post-processor definition, which must be an object with a <c>type</c>; null after
    /// reporting why not. <paramref name="mustBe"/> starts the message for a non-object ("a builder must be an object").
    /// </summary>
    public static ObjectReader? OpenDefinition(JsonNode node, BindingScope scope, string mustBe, out string type)
    {
        type = "";
        if (node is not JsonObjectNode obj)
        {
            scope.Bag.Error(node, $"{mustBe}, not {node.KindName}");
            return null;
        }

        var reader = new ObjectReader(obj, scope);
        if (reader.String("type", required: true, render: false) is not { } given)
        {
            return null;
        }

        type = given;
        return reader;
    }

    /// <summary>
    /// The value of <paramref name="key"/>; null when absent or JSON null (Packer treats null as unset). <see cref="String"/>
    /// also treats "" as unset; use it, not <see cref="Has"/>, where an empty string must count as absent.
    /// </summary>
    public JsonNode? Take(string key)
    {
        Known.Add(key);
        var value = Node.Find(key)?.Value;
        return value is JsonScalarNode { Kind: JsonScalarKind.Null } ? null : value;
    }

    public bool Has(string key) => Take(key) is not null;

    /// <summary>Declares keys as known without reading them (read elsewhere or deliberately ignored).</summary>
    public void Accept(params string[] keys)
    {
        foreach (var key in keys)
        {
            Known.Add(key);
        }
    }

    public string? String(string key, bool required = false, bool render = true)
    {
        var value = Take(key);
        if (value is null)
        {
            if (required)
            {
                Missing(key);
            }

            return null;
        }

        var text = AsString(value, render);
        if (text is not { Length: 0 })
        {
            return text;
        }

        // Packer decodes into Go strings, whose zero value "" means "not set": "user_data_file": "" is no file at all.
        // A template that rendered empty because a required variable is unset was already reported at that variable.
        if (required && !(Scope.VariablesIncomplete && value is JsonStringNode { IsEmpty: false }))
        {
            Bag.Error(value, value is JsonStringNode { IsEmpty: false } ? $"{key} is required, but it rendered as \"\"" : $"{key} must not be empty");
        }

        return null;
    }

    public void Missing(string key, string? detail = null) =>
        Bag.Error(Node.Position, JsonPaths.Property(Node.Path, key), detail ?? $"{key} is required");

    public bool? Bool(string key)
    {
        var value = Take(key);
        return value is null ? null : AsBool(value);
    }

    public int? Int(string key, int min = int.MinValue, int max = int.MaxValue)
    {
        var value = Take(key);
        return value is null ? null : AsInt(value, min, max);
    }

    /// <summary>A Go duration (<c>"30s"</c>, <c>"1m30s"</c>, <c>"2h"</c>), in whole seconds (rounded up).</summary>
    public int? DurationSeconds(string key)
    {
        var value = Take(key);
        if (value is null)
        {
            return null;
        }

        var text = AsString(value, render: true);
        if (text is null)
        {
            return null;
        }

        if (GoDuration.TryParseSeconds(text, out var seconds))
        {
            return seconds;
        }

        Bag.Error(value, $"{key} must be a duration such as \"30s\", \"5m\" or \"1h30m\", not \"{text}\"");
        return null;
    }

    public IReadOnlyList<string>? StringList(string key)
    {
        var value = Take(key);
        return value is null ? null : AsStringList(value);
    }

    public Dictionary<string, string>? StringMap(string key)
    {
        var value = Take(key);
        return value is null ? null : AsStringMap(value);
    }

    public JsonObjectNode? Object(string key)
    {
        var value = Take(key);
        if (value is null or JsonObjectNode)
        {
            return value as JsonObjectNode;
        }

        Bag.Error(value, $"{key} must be an object, not {value.KindName}");
        return null;
    }

    public JsonArrayNode? Array(string key)
    {
        var value = Take(key);
        if (value is null or JsonArrayNode)
        {
            return value as JsonArrayNode;
        }

        Bag.Error(value, $"{key} must be an array, not {value.KindName}");
        return null;
    }

    public string? AsString(JsonNode value, bool render = true)
    {
        switch (value)
        {
            case JsonStringNode text:
                return render ? Scope.Render(text) : text.Value;
            case JsonScalarNode { Kind: JsonScalarKind.Number } number:
                return number.Text;
            case JsonScalarNode { Kind: JsonScalarKind.Boolean } boolean:
                // Packer decodes weakly: a boolean where a string is expected becomes "1" or "0".
                return boolean.Text == "true" ? "1" : "0";
            case JsonScalarNode:
                return null;
            default:
                Bag.Error(value, $"{LastSegment(value.Path)} must be a string, not {value.KindName}");
                return null;
        }
    }

    public bool? AsBool(JsonNode value)
    {
        switch (value)
        {
            case JsonScalarNode { Kind: JsonScalarKind.Boolean } boolean:
                return boolean.Text == "true";
            case JsonScalarNode { Kind: JsonScalarKind.Number } number:
                return number.Text is not ("0" or "0.0");
            case JsonStringNode text:
                var rendered = Scope.Render(text);
                switch (rendered)
                {
                    case null:
                        return null;
                    case "1" or "t" or "T" or "true" or "TRUE" or "True":
                        return true;
                    case "" or "0" or "f" or "F" or "false" or "FALSE" or "False":
                        return false;
                    default:
                        Bag.Error(value, $"{LastSegment(value.Path)} must be true or false, not \"{rendered}\"");
                        return null;
                }

            default:
                Bag.Error(value, $"{LastSegment(value.Path)} must be true or false, not {value.KindName}");
                return null;
        }
    }

    public int? AsInt(JsonNode value, int min = int.MinValue, int max = int.MaxValue)
    {
        string? text = value switch
        {
            JsonScalarNode { Kind: JsonScalarKind.Number } number => number.Text,
            JsonStringNode s => Scope.Render(s),
            _ => null,
        };
        if (text is null)
        {
            if (value is not JsonStringNode)
            {
                Bag.Error(value, $"{LastSegment(value.Path)} must be a whole number, not {value.KindName}");
            }

            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result))
        {
            Bag.Error(value, $"{LastSegment(value.Path)} must be a whole number, not \"{text}\"");
            return null;
        }

        if (result < min || result > max)
        {
            Bag.Error(value, $"{LastSegment(value.Path)} must be between {min} and {max}, not {result}");
            return null;
        }

        return result;
    }

    public IReadOnlyList<string>? AsStringList(JsonNode value)
    {
        if (value is JsonArrayNode array)
        {
            var items = new List<string>(array.Items.Length);
            foreach (var item in array.Items)
            {
                var text = item is JsonArrayNode or JsonObjectNode
                    ? Fail(item, $"{LastSegment(array.Path)} must hold strings, not {item.KindName}")
                    : AsString(item);
                if (text is not null)
                {
                    items.Add(text);
                }
            }

            return items;
        }

        if (value is JsonObjectNode)
        {
            Bag.Error(value, $"{LastSegment(value.Path)} must be an array of strings, not an object");
            return null;
        }

        // Weak typing as Packer decodes it (mapstructure's StringToSliceHookFunc(",") in Packer's config.Decode): one
        // value is split at commas, and "" is an empty list — "ami_users": "{{user `ami_users`}}" with "" shares with
        // nobody, "a,b" with two accounts.
        if (Scope.StrictLists)
        {
            // HCL2 converts a string to a list of strings never (Packer: "Incorrect attribute value type").
            Bag.Error(value, $"{LastSegment(value.Path)} must be a list of strings, not a string: write [\"a\", \"b\"] (or split(\",\", ...) for a comma-separated value)");
            return null;
        }

        var single = AsString(value);
        return single switch
        {
            null => null,
            "" => [],
            _ => single.Split(','),
        };
    }

    public Dictionary<string, string>? AsStringMap(JsonNode value)
    {
        if (value is not JsonObjectNode map)
        {
            Bag.Error(value, $"{LastSegment(value.Path)} must be an object of strings, not {value.KindName}");
            return null;
        }

        var result = new Dictionary<string, string>(map.Properties.Length, StringComparer.Ordinal);
        foreach (var property in map.Properties)
        {
            // Most keys are plain text; only a templated key needs a node (and its path) to render and report against.
            var key = TemplateParser.ContainsActions(property.Name)
                ? Scope.Render(JsonStringNode.ForPropertyName(map, property))
                : property.Name;
            var text = property.Value is JsonArrayNode or JsonObjectNode
                ? Fail(property.Value, $"{LastSegment(map.Path)} values must be strings, not {property.Value.KindName}")
                : AsString(property.Value) ?? (property.Value is JsonScalarNode { Kind: JsonScalarKind.Null } ? "" : null);
            if (key is not null && text is not null)
            {
                result[key] = text;
            }
        }

        return result;
    }

    /// <summary>
    /// Reports every key nobody asked about: SSH/WinRM and credential keys become (collected) warnings, the rest errors with a
    /// suggestion. Keys starting with '_' are comments when <paramref name="ignoreUnderscoreKeys"/> (Packer's rule for the root,
    /// builders, provisioners and post-processors).
    /// </summary>
    public void Finish(bool ignoreUnderscoreKeys, IReadOnlyDictionary<string, string>? unsupported = null)
    {
        foreach (var property in Node.Properties)
        {
            if (Known.Contains(property.Name) || (ignoreUnderscoreKeys && property.Name.StartsWith('_')))
            {
                continue;
            }

            var path = JsonPaths.Property(Node.Path, property.Name);
            if (IgnoredKeys.IsCommunicatorKey(property.Name))
            {
                Scope.Ignored.AddCommunicator(property.NamePosition, path, property.Name);
            }
            else if (IgnoredKeys.IsCredentialKey(property.Name))
            {
                Scope.Ignored.AddCredential(property.NamePosition, path, property.Name);
            }
            else if (unsupported is not null && unsupported.TryGetValue(property.Name, out var why))
            {
                Bag.Error(property.NamePosition, path, $"{property.Name} is not supported by Bakery: {why}");
            }
            else
            {
                Bag.Error(property.NamePosition, path, $"unknown key \"{property.Name}\"", Suggestions.Closest(property.Name, Known));
            }
        }

        // Done with the keys: the list becomes the thread's spare, and this reader starts a new one if it is asked again.
        var known = Known;
        _known = null;
        known.Clear();
        if (known.Capacity <= 256)
        {
            t_spareKnown = known;
        }
    }

    private string? Fail(JsonNode node, string message)
    {
        Bag.Error(node, message);
        return null;
    }

    private static string LastSegment(string path)
    {
        var end = path.Length;
        while (end > 0 && path[end - 1] == ']')
        {
            var open = path.LastIndexOf('[', end - 1);
            if (open <= 0 || path[open + 1] == '"')
            {
                break;
            }

            end = open;
        }

        var trimmed = path[..end];
        var dot = trimmed.LastIndexOf('.');
        return dot < 0 ? trimmed : trimmed[(dot + 1)..];
    }
}
