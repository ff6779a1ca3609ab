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

        var bundlePath = scope.Files.ResolveRelative(scope.TemplateDir, asWritten);
        if (bundlePath is null)
        {
            scope.Bag.Error(node, $"\"{asWritten}\" points outside the build's folder tree (too many \"../\")");
            return null;
        }

        kind = scope.Files.GetKind(bundlePath);
        switch (kind)
        {
            case BundleEntryKind.Missing:
                scope.Bag.Error(node, $"file not found: \"{asWritten}\" (looked for {bundlePath})");
                return null;
            case BundleEntryKind.Directory when !allowDirectory:
                scope.Bag.Error(node, $"\"{asWritten}\" is a folder; a file is expected here");
                return null;
            default:
                scope.References.Add(bundlePath, asWritten, kind, node);
                return bundlePath;
        }
    }
}
