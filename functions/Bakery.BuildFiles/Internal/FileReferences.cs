namespace Bakery.BuildFiles.Internal;

/// <summary>Resolves script and file paths against the build file's folder through <see cref="IBundleFiles"/>.</summary>
internal static class FileReferences
{
    /// <summary>The bundle path of an existing file; null after reporting why not.</summary>
    public static string? RequireFile(string asWritten, JsonNode node, BindingScope scope) =>
        Require(asWritten, node, scope, allowDirectory: false, out _);

    /// <summary>The bundle path of an existing file or folder; null after reporting why not.</summary>
    public static string? Require(string asWritten, JsonNode node, BindingScope scope, bool allowDirectory, out BundleEntryKind kind)
    {
        kind = BundleEntryKind.Missing;
        if (asWritten.Length == 0)
        {
            scope.Bag.Error(node, "the path is empty");
            return null;
        }

        var from = scope.WorkingFolder ?? scope.TemplateDir;
        var bundlePath = scope.Files.ResolveRelative(from, asWritten);
        if (bundlePath is null)
        {
            scope.Bag.Error(node, $"\"{asWritten}\" points outside the build's folder tree (too many \"../\")");
            return null;
        }

        kind = scope.Files.GetKind(bundlePath);
        switch (kind)
        {
            case BundleEntryKind.Missing:
                scope.Bag.Error(node, $"file not found: \"{asWritten}\" (looked for {scope.Files.Describe(bundlePath)}){RelativeHint(asWritten, from, scope)}");
                return null;
            case BundleEntryKind.Directory when !allowDirectory:
                scope.Bag.Error(node, $"\"{asWritten}\" is a folder; a file is expected here");
                return null;
            default:
                scope.References.Add(bundlePath, asWritten, kind, node);
                return bundlePath;
        }
    }

    /// <summary>
    /// Packer resolves a relative path from its working folder, which surprises whoever runs it from elsewhere: say so, and
    /// when the file is next to the build file, the exact <c>{{template_dir}}</c> spelling that finds it.
    /// </summary>
    private static string RelativeHint(string asWritten, string from, BindingScope scope)
    {
        if (from == scope.TemplateDir || asWritten.StartsWith('/') || asWritten.StartsWith(scope.TemplateDir, StringComparison.Ordinal))
        {
            return "";
        }

        var nextToBuildFile = scope.Files.ResolveRelative(scope.TemplateDir, asWritten);
        return nextToBuildFile is not null && scope.Files.GetKind(nextToBuildFile) != BundleEntryKind.Missing
            ? $"; relative paths start from the folder bakery runs in ({from}), as in Packer. It is next to the build file: write \"{{{{template_dir}}}}/{asWritten}\""
            : $"; relative paths start from the folder bakery runs in ({from}), as in Packer; {{{{template_dir}}}} is the build file's folder";
    }
}
