namespace Bakery.Hcl.Evaluation;

/// <summary>What the functions that touch the outside world (clock, files, environment) read.</summary>
public sealed record HclFunctionOptions
{
    /// <summary>The time <c>timestamp()</c> returns (fixed for a whole run, as Packer's is per call but a run is short).</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UnixEpoch;

    /// <summary>Reads a file's text for <c>file</c>/<c>templatefile</c>; null when the file does not exist. Null: no file access.</summary>
    public Func<string, string?>? ReadFile { get; init; }

    /// <summary>
    /// Every file under a folder for <c>fileset</c>: the folder as written (relative to the template's folder, Packer's
    /// base for <c>fileset</c>, or absolute), the files relative to it, '/'-separated; null or empty when there is none.
    /// Null: no file listing.
    /// </summary>
    public Func<string, IReadOnlyList<string>?>? ListFiles { get; init; }

    /// <summary>Relative paths in <c>file</c>, <c>abspath</c>, ... are relative to this folder (Packer: the working directory).</summary>
    public string WorkingDirectory { get; init; } = "";

    /// <summary>The environment for <c>env()</c>. Null: <c>env</c> is not offered (Packer allows it only in variable defaults).</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>Functions of the host language (Packer's <c>legacy_isotime</c>, which speaks Go time layouts).</summary>
    public IReadOnlyDictionary<string, Func<IReadOnlyList<HclValue>, HclValue>> Extra { get; init; } =
        new Dictionary<string, Func<IReadOnlyList<HclValue>, HclValue>>(StringComparer.Ordinal);
}
