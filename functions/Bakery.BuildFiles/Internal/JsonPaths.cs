namespace Bakery.BuildFiles.Internal;

/// <summary>Builds the JSON paths used in messages: <c>builders[0].tags.Name</c>, <c>tags["my key"]</c>.</summary>
internal static class JsonPaths
{
    public static string Property(string parent, string name)
    {
        if (name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            return parent.Length == 0 ? name : parent + "." + name;
        }

        var quoted = "[\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"]";
        return parent + quoted;
    }

    public static string Index(string parent, int index) => parent + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
}
