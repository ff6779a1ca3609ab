using System.Globalization;
using Bakery.Hcl;

namespace Bakery.BuildFiles.Internal.Hcl2;

/// <summary>
/// Builds the JSON engine's tree (<see cref="JsonNode"/>s) of the legacy-JSON equivalent of an HCL2 template, straight
/// from the evaluated values, remembering for each JSON path the HCL place and path it came from, so a problem the JSON
/// engine finds is reported where the user wrote it. No JSON text is written and read back: each string node holds the
/// evaluated string itself, so the model the engine binds keeps that same string instead of a third copy of it
/// (docs/benchmarks.md, section 1b).
/// </summary>
internal sealed class JsonEmitter
{
    // The nodes were not read from text: every position is line 1, column 1, and messages are placed by JSON path (Origins).
    private readonly JsonSource _source = new(ReadOnlyMemory<byte>.Empty);

    /// <summary>
    /// Every property and item entered, parents before children. Their JSON paths are only spelled out when
    /// <see cref="Origins"/> is first read, which happens when the JSON engine reports a problem: a valid template
    /// (the usual case) never pays for a path string per value.
    /// </summary>
    private readonly List<Entered> _entered = [];

    private readonly Stack<int> _enteredOpen = new();
    private Dictionary<string, (HclPosition Position, string HclPath)>? _origins;

    // The objects and arrays being built, innermost last, and the members and items of all of them: each container copies
    // its own run into an array of the exact size when it ends (as JsonTreeReader does).
    private readonly List<Open> _containers = [];
    private readonly List<JsonProperty> _members = [];
    private readonly List<JsonNode> _items = [];
    private readonly List<(string Name, int Entered)> _duplicates = [];
    private string? _pendingName;

    /// <summary>The finished tree; null until the outermost object or array has ended.</summary>
    public JsonNode? Root { get; private set; }

    /// <summary>For each JSON path written, the HCL place and path it came from (the first one, if a path is entered twice).</summary>
    public IReadOnlyDictionary<string, (HclPosition Position, string HclPath)> Origins => _origins ??= SpellOrigins();

    /// <summary>
    /// Property names written twice in one object (an argument and a block of the same name, say), each with the HCL place
    /// of the later one, which replaces the first, as a duplicate key does in a JSON build file.
    /// </summary>
    public IEnumerable<(string Name, HclPosition Position, string HclPath)> Duplicates =>
        _duplicates.Select(d => (d.Name, _entered[d.Entered].Position, _entered[d.Entered].FullHclPath));

    /// <summary>
    /// Starts a property and enters its path; <see cref="Leave"/> when its value is written. Its HCL path is
    /// <paramref name="hclPath"/>, followed by <c>.</c><paramref name="hclName"/> when given (joined only if a message needs it).
    /// </summary>
    public void Property(string name, HclPosition position, string hclPath, string? hclName = null)
    {
        PropertyName(name);
        Enter(name, 0, position, hclPath, hclName);
    }

    public void Item(int index, HclPosition position, string hclPath) => Enter(null, index, position, hclPath, null);

    public void Leave() => _enteredOpen.Pop();

    public void PropertyName(string name) => _pendingName = name;

    public void StartObject() => Start(isObject: true);

    public void StartArray() => Start(isObject: false);

    public void EndObject() => End();

    public void EndArray() => End();

    public void StringValue(string value)
    {
        var (name, index) = Slot();
        Attach(new JsonStringNode(_source, Parent, name, index, value), name);
    }

    public void WriteString(string name, string value)
    {
        PropertyName(name);
        StringValue(value);
    }

    /// <summary>An evaluated HCL value as JSON: lists as arrays, objects and maps as objects, numbers as Packer writes them.</summary>
    public void Value(HclValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (value.Kind)
        {
            case HclValueKind.String:
                StringValue(value.AsString);
                break;
            case HclValueKind.List:
                StartArray();
                foreach (var item in value.Items)
                {
                    Value(item);
                }

                EndArray();
                break;
            case HclValueKind.Object:
                StartObject();
                foreach (var (key, field) in value.Fields)
                {
                    PropertyName(key);
                    Value(field);
                }

                EndObject();
                break;
            default:
                var (name, index) = Slot();
                var (kind, text) = value.Kind switch
                {
                    HclValueKind.Bool => (JsonScalarKind.Boolean, value.AsBool ? "true" : "false"),
                    HclValueKind.Number => (JsonScalarKind.Number, NumberText(value.AsNumber)),
                    _ => (JsonScalarKind.Null, "null"),
                };
                Attach(new JsonScalarNode(_source, Parent, name, index, 0, kind, text), name);
                break;
        }
    }

    /// <summary>A whole number as an integer (<c>2</c>, not <c>2.0</c>), others in the shortest form that reads back the same.</summary>
    private static string NumberText(double number) =>
        number == Math.Floor(number) && Math.Abs(number) < 1e15
            ? ((long)number).ToString(CultureInfo.InvariantCulture)
            : number.ToString("R", CultureInfo.InvariantCulture);

    private JsonNode? Parent => _containers.Count == 0 ? null : _containers[^1].Node;

    /// <summary>The name (in an object) or index (in an array) the next value takes.</summary>
    private (string? Name, int Index) Slot()
    {
        if (_containers.Count == 0)
        {
            return (null, 0);
        }

        var open = _containers[^1];
        if (open.Node is JsonObjectNode)
        {
            var name = _pendingName ?? throw new InvalidOperationException("a value in an object needs a property name first");
            _pendingName = null;
            return (name, 0);
        }

        return (null, _items.Count - open.Start);
    }

    private void Start(bool isObject)
    {
        var (name, index) = Slot();
        JsonNode node = isObject
            ? new JsonObjectNode(_source, Parent, name, index, 0)
            : new JsonArrayNode(_source, Parent, name, index, 0);
        _containers.Add(new Open(node, isObject ? _members.Count : _items.Count, name));
        _pendingName = null;
    }

    private void End()
    {
        var open = _containers[^1];
        _containers.RemoveAt(_containers.Count - 1);
        switch (open.Node)
        {
            case JsonObjectNode objectNode:
                objectNode.SetProperties(TakeFrom(_members, open.Start));
                break;
            case JsonArrayNode arrayNode:
                arrayNode.SetItems(TakeFrom(_items, open.Start));
                break;
        }

        Attach(open.Node, open.Name);
    }

    private void Attach(JsonNode node, string? name)
    {
        if (_containers.Count == 0)
        {
            Root = node;
            return;
        }

        var open = _containers[^1];
        if (open.Node is not JsonObjectNode)
        {
            _items.Add(node);
            return;
        }

        var key = name!;
        for (var i = open.Start; i < _members.Count; i++)
        {
            if (_members[i].Name == key)
            {
                // The later value wins, as a duplicate key in a JSON build file; the caller reports it.
                _members[i] = new JsonProperty(key, 0, node);
                if (_enteredOpen.Count > 0)
                {
                    _duplicates.Add((key, _enteredOpen.Peek()));
                }

                return;
            }
        }

        _members.Add(new JsonProperty(key, 0, node));
    }

    private static T[] TakeFrom<T>(List<T> list, int start)
    {
        var count = list.Count - start;
        if (count == 0)
        {
            return [];
        }

        var result = new T[count];
        list.CopyTo(start, result, 0, count);
        list.RemoveRange(start, count);
        return result;
    }

    private void Enter(string? name, int index, HclPosition position, string hclPath, string? hclName)
    {
        var parent = _enteredOpen.Count > 0 ? _enteredOpen.Peek() : -1;
        _enteredOpen.Push(_entered.Count);
        _entered.Add(new Entered(parent, name, index, position, hclPath, hclName));
    }

    private Dictionary<string, (HclPosition Position, string HclPath)> SpellOrigins()
    {
        var paths = new string[_entered.Count];
        var origins = new Dictionary<string, (HclPosition Position, string HclPath)>(_entered.Count, StringComparer.Ordinal);
        for (var i = 0; i < _entered.Count; i++)
        {
            var entered = _entered[i];
            var parent = entered.Parent < 0 ? "" : paths[entered.Parent];
            paths[i] = entered.Name is null ? JsonPaths.Index(parent, entered.Index) : JsonPaths.Property(parent, entered.Name);
            origins.TryAdd(paths[i], (entered.Position, entered.FullHclPath));
        }

        return origins;
    }

    /// <summary>A property (<see cref="Name"/>) or array item (<see cref="Index"/>) inside the entry at <see cref="Parent"/> (-1: the root).</summary>
    private readonly record struct Entered(int Parent, string? Name, int Index, HclPosition Position, string HclPath, string? HclName)
    {
        public string FullHclPath => HclName is null ? HclPath : HclPath + "." + HclName;
    }

    /// <summary>An object or array being built: its node, where its members or items start, and its own name in its parent.</summary>
    private readonly record struct Open(JsonNode Node, int Start, string? Name);
}
