namespace Bakery.Conformance.Tests.Corpus;

/// <summary>
/// One case of the corpus (<c>corpus/cases.json</c>): a build file and the arguments both tools get, run from the same
/// working folder with the same environment.
/// </summary>
public sealed record ConformanceCase
{
    public required string Name { get; init; }

    /// <summary>The build file as given on the command line (relative to <see cref="WorkingFolder"/>).</summary>
    public required string File { get; init; }

    /// <summary>What the file is modelled on: the public pattern it exercises.</summary>
    public required string Pattern { get; init; }

    /// <summary><c>-var</c>, <c>-var-file</c>, <c>-only</c>, <c>-except</c> as a user types them, before the file.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Where both tools run, relative to the corpus folder.</summary>
    public string WorkingFolder { get; init; } = ".";

    /// <summary>The row of the intentional-refusals table (docs/build-files.md) that explains why Bakery refuses what Packer accepts.</summary>
    public string? Refusal { get; init; }

    /// <summary>amazon-ebs keys added after Packer 1.6.6: the oracle refuses them as unknown, Bakery follows today's plugin.</summary>
    public IReadOnlyList<string> Newer { get; init; } = [];

    /// <summary>Also baked by both tools on moto and the results compared.</summary>
    public bool Build { get; init; }

    /// <summary>
    /// The row of the differences table (docs/build-files.md) when the file renders <c>{{template_dir}}</c> into what the
    /// build makes: Bakery's build runs from the bucket, where the build file's folder is <c>/</c>, so the comparison
    /// reads Packer's local folder as <c>/</c> in the images (validate, inspect and console still render the local folder).
    /// </summary>
    public string? TemplateDirInBucket { get; init; }

    /// <summary>The case is meant to be one Packer refuses (its name starts with <c>rejected_</c>).</summary>
    public bool PackerRejects => Name.StartsWith("rejected_", StringComparison.Ordinal);

    /// <summary>Both tools are expected to accept it and render it, so its values can be compared.</summary>
    public bool BothAccept => !PackerRejects && Refusal is null && Newer.Count == 0;

    public override string ToString() => Name;
}
