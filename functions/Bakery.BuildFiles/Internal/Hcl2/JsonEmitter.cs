using System.Text.Json;
using Bakery.Hcl;

namespace Bakery.BuildFiles.Internal.Hcl2;

/// <summary>
/// Writes the legacy-JSON equivalent of an HCL2 template, remembering for each JSON path the HCL place and path it came
/// from, so a problem the JSON engine finds is reported where the user wrote it.
/// </summary>
internal sealed class JsonEmitter : IDisposable
{
    private readonly MemoryStream _stream = new();
    private readonly Stack<string> _paths = new();
    private readonly Dictionary<string, (HclPosition Position, string HclPath)> _origins = new(StringComparer.Ordinal);

    public JsonEmitter()
    {
        Writer = new Utf8JsonWriter(_stream, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        _paths.Push("");
    }

    public Utf8JsonWriter Writer { get; }

    public string Path => _paths.Peek();

    public IReadOnlyDictionary<string, (HclPosition Position, string HclPath)> Origins => _origins;

    /// <summary>Writes a property name and enters its path; <see cref="Leave"/> when its value is written.</summary>
    public void Property(string name, HclPosition position, string hclPath)
    {
        Writer.WritePropertyName(name);
        Enter(JsonPaths.Property(Path, name), position, hclPath);
    }

    public void Item(int index, HclPosition position, string hclPath) => Enter(JsonPaths.Index(Path, index), position, hclPath);

    public void Leave() => _paths.Pop();

    private void Enter(string path, HclPosition position, string hclPath)
    {
        _paths.Push(path);
        _origins.TryAdd(path, (position, hclPath));
    }

    public byte[] ToArray()
    {
        Writer.Flush();
        return _stream.ToArray();
    }

    public void Dispose()
    {
        Writer.Dispose();
        _stream.Dispose();
    }
}
