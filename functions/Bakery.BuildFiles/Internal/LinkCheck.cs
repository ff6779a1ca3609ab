namespace Bakery.BuildFiles.Internal;

/// <summary>
/// Symbolic links in what a build uploads. A link is followed (its target's content travels under its name) only when
/// the target lies inside the folder tree the upload covers — the deepest folder holding the build file and everything it
/// references, which is what <c>bakery build</c> uploads. A link out of it (to <c>/etc/passwd</c>, <c>~/.aws</c>, a
/// sibling project) would carry a file nobody sees in the bundle onto the instance; one that points to nothing or loops
/// cannot be uploaded. Each is an error on the path that brought it in, before anything is uploaded or launched.
/// </summary>
internal static class LinkCheck
{
    public static void Report(FileReferenceLog log, IBundleFiles files, string templateDir, DiagnosticBag bag)
    {
        if (log.References.Count == 0)
        {
            return;
        }

        var buildFolder = files.ResolveRelative(templateDir, ".") ?? "";
        var root = BundlePath.CommonFolder([buildFolder, .. log.References.Select(r => r.Kind == BundleEntryKind.Directory ? r.BundlePath : BundlePath.GetFolder(r.BundlePath))]);
        foreach (var reference in log.References)
        {
            foreach (var problem in files.FindLinkProblems(reference.BundlePath, root))
            {
                bag.Error(reference.Node, Message(reference, problem, buildFolder));
            }
        }
    }

    internal static string Message(FileReference reference, BundleLinkProblem problem, string buildFolder)
    {
        var shown = Relative(buildFolder, problem.Link);
        var subject = problem.Link == reference.BundlePath
            ? $"\"{reference.AsWritten}\" is a symbolic link to {problem.Target}"
            : reference.BundlePath.StartsWith(problem.Link + "/", StringComparison.Ordinal)
                ? $"\"{reference.AsWritten}\" goes through the symbolic link {shown} -> {problem.Target}"
                : $"\"{reference.AsWritten}\" holds the symbolic link {shown} -> {problem.Target}";
        return problem.Kind switch
        {
            BundleLinkProblemKind.LeadsOutside =>
                $"{subject}, which leads outside the folder tree this build uploads: the file it points to would be uploaded and put on the instance in its place. Copy what you need into the build's folder instead of linking to it, or remove the link",
            BundleLinkProblemKind.Dangling => $"{subject}, which points to nothing: remove the link or fix its target",
            _ => $"{subject}, which leads back to a folder that contains it (a loop): remove the link",
        };
    }

    /// <summary><paramref name="path"/> as seen from <paramref name="folder"/> (both bundle paths), with <c>../</c> where needed.</summary>
    private static string Relative(string folder, string path)
    {
        var from = Segments(folder);
        var to = Segments(path);
        var same = 0;
        while (same < Math.Min(from.Length, to.Length) && from[same] == to[same])
        {
            same++;
        }

        return string.Join('/', Enumerable.Repeat("..", from.Length - same).Concat(to[same..]));
    }

    private static string[] Segments(string bundlePath) => bundlePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
