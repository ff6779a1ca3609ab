namespace Bakery.Core.BuildFiles.Internal;

/// <summary>
/// A JSON path that is only turned into text when asked. Paths appear only in messages, so building the text of every
/// node of a large file up front was a measurable share of loading it (docs/benchmarks.md).
/// </summary>
internal sealed class LazyJsonPath
{
    public static readonly LazyJsonPath Root = new("");

    private readonly LazyJsonPath? _parent;
    private readonly string? _name;
    private readonly int _index;
    private string? _text;

    private LazyJsonPath(string text)
    {
        _text = text;
    }

    private LazyJsonPath(LazyJsonPath parent, string? name, int index)
    {
        _parent = parent;
        _name = name;
        _index = index;
    }

    public static LazyJsonPath FromText(string text) => text.Length == 0 ? Root : new LazyJsonPath(text);

    public LazyJsonPath Property(string name) => new(this, name, 0);

    public LazyJsonPath Index(int index) => new(this, null, index);

    public override string ToString() => _text ??= _name is null
        ? JsonPaths.Index(_parent!.ToString(), _index)
        : JsonPaths.Property(_parent!.ToString(), _name);
}
