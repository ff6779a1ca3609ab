namespace Bakery.Hcl.Evaluation;

/// <summary>What the functions that touch the outside world (clock, files, environment) read.</summary>
public sealed record HclFunctionOptions
{
    /// <summary>The time <c>timestamp()</c> returns (fixed for a whole run, as Packer's is per call but a run is short).</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UnixEpoch;

    /// <summary>
    /// Reads a file's text for <c>file</c>/<c>fileexists</c>/<c>templatefile</c>, given the path joined to
    /// <see cref="TemplateDirectory"/>; null when the file does not exist. Null: no file access.
    /// </summary>
    public Func<string, string?>? ReadFile { get; init; }

    /// <summary>
    /// Every file under a folder for <c>fileset</c>: the folder as written (relative to the template's folder, Packer's
    /// base for <c>fileset</c>, or absolute), the files relative to it, '/'-separated; null or empty when there is none.
    /// Null: no file listing.
    /// </summary>
    public Func<string, IReadOnlyList<string>?>? ListFiles { get; init; }

    /// <summary>
    /// Where relative paths in <c>file</c>, <c>fileexists</c>, <c>fileset</c> and <c>templatefile</c> start: Packer's base
    /// folder, the template's folder (checked with <c>packer console</c> 1.6.6 run from another folder; Packer passes the
    /// same base folder to <c>templatefile</c>, which 1.6.6 predates). Empty: the path as written.
    /// </summary>
    public string TemplateDirectory { get; init; } = "";

    /// <summary>Where a relative path in <c>abspath</c> starts: the folder Packer runs in (the only function that uses it).</summary>
    public string WorkingDirectory { get; init; } = "";

    /// <summary>The environment for <c>env()</c>. Null: <c>env</c> is not offered (Packer allows it only in variable defaults).</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>Functions of the host language (Packer's <c>legacy_isotime</c>, which speaks Go time layouts).</summary>
    public IReadOnlyDictionary<string, Func<IReadOnlyList<HclValue>, HclValue>> Extra { get; init; } =
        new Dictionary<string, Func<IReadOnlyList<HclValue>, HclValue>>(StringComparer.Ordinal);
}
