using System.Text.Json;
using Bakery.Hcl;

namespace Bakery.BuildFiles.Internal.Hcl2;

/// <summary>
/// Writes the legacy-JSON equivalent of an HCL2 template, remembering for each JSON path the HCL place and path it came
/// from, so a problem the JSON engine finds is reported where the user wrote it.
/// </summary>
internal sealed class JsonEmitter : IDisposable
{
    private readonly MemoryStream _stream;

    /// <summary>
    /// Every property and item entered, parents before children. Their JSON paths are only spelled out when
    /// <see cref="Origins"/> is first read, which happens when the JSON engine reports a problem: a valid template
    /// (the usual case) never pays for a path string per value.
    /// </summary>
    private readonly List<Entered> _entered = [];

    private readonly Stack<int> _open = new();
    private Dictionary<string, (HclPosition Position, string HclPath)>? _origins;

    /// <param name="expectedSize">The size of the templates read: the JSON written is rarely larger, so the buffer seldom grows.</param>
    public JsonEmitter(int expectedSize = 0)
    {
        _stream = new MemoryStream(expectedSize);
        Writer = new Utf8JsonWriter(_stream, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public Utf8JsonWriter Writer { get; }

    /// <summary>For each JSON path written, the HCL place and path it came from (the first one, if a path is entered twice).</summary>
    public IReadOnlyDictionary<string, (HclPosition Position, string HclPath)> Origins => _origins ??= SpellOrigins();

    /// <summary>Writes a property name and enters its path; <see cref="Leave"/> when its value is written.</summary>
    public void Property(string name, HclPosition position, string hclPath)
    {
        Writer.WritePropertyName(name);
        Enter(name, 0, position, hclPath);
    }

    public void Item(int index, HclPosition position, string hclPath) => Enter(null, index, position, hclPath);

    public void Leave() => _open.Pop();

    private void Enter(string? name, int index, HclPosition position, string hclPath)
    {
        var parent = _open.Count > 0 ? _open.Peek() : -1;
        _open.Push(_entered.Count);
        _entered.Add(new Entered(parent, name, index, position, hclPath));
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
            origins.TryAdd(paths[i], (entered.Position, entered.HclPath));
        }

        return origins;
    }

    /// <summary>A property (<see cref="Name"/>) or array item (<see cref="Index"/>) inside the entry at <see cref="Parent"/> (-1: the root).</summary>
    private readonly record struct Entered(int Parent, string? Name, int Index, HclPosition Position, string HclPath);

    /// <summary>The JSON written so far, without a copy (it stays valid after <see cref="Dispose"/>).</summary>
    public ReadOnlyMemory<byte> Written()
    {
        Writer.Flush();
        return _stream.GetBuffer().AsMemory(0, (int)_stream.Length);
    }

    public void Dispose()
    {
        Writer.Dispose();
        _stream.Dispose();
    }
}
