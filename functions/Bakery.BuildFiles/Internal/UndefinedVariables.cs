namespace Bakery.BuildFiles.Internal;

/// <summary>
/// Names a template asked for with <c>{{user `x`}}</c> that are neither declared nor given. Packer renders them as ""
/// without a word; Bakery does the same and warns once per name, at the first string that used it.
/// </summary>
internal sealed class UndefinedVariables
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public int Count => _order.Count;

    /// <summary>Notes a lookup of an unknown name and answers what Packer renders for it.</summary>
    public string Note(string name)
    {
        if (_names.Add(name))
        {
            _order.Add(name);
        }

        return "";
    }

    /// <summary>The names first noted after <paramref name="count"/> (a <see cref="Count"/> read before rendering).</summary>
    public IEnumerable<string> Since(int count) => _order.Skip(count);

    public static string Message(string name) =>
        $"variable \"{name}\" is not declared in variables and not given with -var or -var-file, so {{{{user `{name}`}}}} renders as \"\" (as in Packer)";
}
