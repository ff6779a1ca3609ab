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

        if (input.Path.EndsWith(".pkr.json", StringComparison.OrdinalIgnoreCase))
        {
            return new BuildFileResult
            {
                Errors = [new Diagnostic(input.Path, 0, 0, "", "HCL2's JSON syntax (.pkr.json) is not supported: write the template as .pkr.hcl, or as a legacy JSON build file named .json", null)],
            };
        }

        return new LoadRun(input, _time.GetUtcNow()).Run();
    }

    /// <summary>Whether the file is an HCL2 template (Packer's rule: the <c>.pkr.hcl</c> extension).</summary>
    public static bool IsHcl2(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith(".pkr.hcl", StringComparison.OrdinalIgnoreCase);
    }
}
