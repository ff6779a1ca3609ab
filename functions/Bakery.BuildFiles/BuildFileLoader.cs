using Bakery.BuildFiles.Internal;

namespace Bakery.BuildFiles;

/// <summary>
/// Parse → render → validate a Packer build file: legacy JSON, or an HCL2 template (<c>.pkr.hcl</c>, evaluated into the
/// equivalent JSON and then bound by the same engine). Never throws for a bad file: every problem is a
/// <see cref="Diagnostic"/> in the result, all of them at once.
/// </summary>
public sealed class BuildFileLoader
{
    private readonly TimeProvider _time;

    public BuildFileLoader(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    public BuildFileResult Load(BuildFileInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (IsHcl2(input.Path))
        {
            return new Internal.Hcl2.Hcl2LoadRun(input, _time.GetUtcNow()).Run();
        }

        return new LoadRun(input, _time.GetUtcNow()).Run();
    }

    /// <summary>
    /// Whether the file is an HCL2 template (Packer's rule: the <c>.pkr.hcl</c> extension, or <c>.pkr.json</c> for HCL's
    /// JSON syntax).
    /// </summary>
    public static bool IsHcl2(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith(".pkr.hcl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pkr.json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The path without its build-file extension (<c>.pkr.hcl</c>, <c>.pkr.json</c> or <c>.json</c>): what the files
    /// beside it that belong to it are named after (<c>STEM.pkrvars.hcl</c>, <c>STEM.vars.json</c>, <c>STEM.bakery.json</c>).
    /// </summary>
    public static string Stem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var extension in (string[])[".pkr.hcl", ".pkr.json", ".json"])
        {
            if (path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return path[..^extension.Length];
            }
        }

        return path;
    }
}
