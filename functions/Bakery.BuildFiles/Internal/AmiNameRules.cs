namespace Bakery.BuildFiles.Internal;

/// <summary>EC2's rules for image names, checked after rendering (3–128 characters of <c>a-zA-Z0-9()[] ./-'@_</c>).</summary>
internal static class AmiNameRules
{
    public const int MinLength = 3;
    public const int MaxLength = 128;

    public static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '(' or ')' or '[' or ']' or ' ' or '.' or '/' or '-' or '\'' or '@' or '_';

    public static void Check(string rendered, JsonNode node, DiagnosticBag bag)
    {
        // Build-time data ({{ .SourceAMIName }}) is rendered later: check only the text around it.
        var hasDeferred = rendered.Contains("{{", StringComparison.Ordinal);
        var literal = hasDeferred ? StripActions(rendered) : rendered;
        if (!hasDeferred && (rendered.Length < MinLength || rendered.Length > MaxLength))
        {
            bag.Error(node, $"ami_name \"{rendered}\" is {rendered.Length} characters long after rendering; it must be {MinLength} to {MaxLength}");
        }

        var invalid = literal.Where(c => !IsAllowed(c)).Distinct().ToList();
        if (invalid.Count > 0)
        {
            bag.Error(node, $"ami_name \"{rendered}\" contains characters EC2 does not allow: {string.Join(" ", invalid.Select(c => $"'{c}'"))}; "
                + "allowed are letters, digits, spaces and ( ) [ ] . / - ' @ _ (clean_resource_name can fix a name)");
        }
    }

    private static string StripActions(string text)
    {
        var builder = new System.Text.StringBuilder();
        var index = 0;
        while (index < text.Length)
        {
            var open = text.IndexOf("{{", index, StringComparison.Ordinal);
            if (open < 0)
            {
                builder.Append(text, index, text.Length - index);
                break;
            }

            builder.Append(text, index, open - index);
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            index = close < 0 ? text.Length : close + 2;
        }

        return builder.ToString();
    }
}
