using Bakery.BuildFiles.Internal;

namespace Bakery.BuildFiles;

/// <summary>
/// Parse → render → validate a Packer-style JSON build file. Never throws for a bad file: every problem is a
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
        return new LoadRun(input, _time.GetUtcNow()).Run();
    }
}
