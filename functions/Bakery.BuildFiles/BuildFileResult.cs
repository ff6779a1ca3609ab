using Bakery.BuildFiles.Model;

namespace Bakery.BuildFiles;

/// <summary>The outcome of loading a build file: the resolved definition when valid, and every problem found.</summary>
public sealed record BuildFileResult
{
    /// <summary>The resolved build; null when <see cref="Errors"/> is not empty.</summary>
    public BuildDefinition? Definition { get; init; }

    /// <summary>What the file declares, before rendering (for <c>bakery inspect</c>); null when the file is not valid JSON.</summary>
    public BuildFileOutline? Outline { get; init; }

    /// <summary>Every problem, in file order; messages are already redacted.</summary>
    public IReadOnlyList<Diagnostic> Errors { get; init; } = [];

    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];

    /// <summary>Masks sensitive variable values: use it on every message, log line and stored output of this build.</summary>
    public Redactor Redactor { get; init; } = Redactor.None;

    /// <summary>
    /// HCL2: data sources that had no value in <see cref="BuildFileInput.DataSources"/>; what depends on them was loaded
    /// as unknown. A build looks them up and loads again; validate and inspect show them as unknown.
    /// </summary>
    public IReadOnlyList<DataSourceRequest> DataRequests { get; init; } = [];

    public bool IsValid => Errors.Count == 0 && Definition is not null;
}
