namespace Bakery.BuildFiles;

/// <summary>Everything <see cref="BuildFileLoader.Load"/> needs: the file, the command-line style overrides and a view of the bundle.</summary>
public sealed record BuildFileInput
{
    /// <summary>The build file's path as the user knows it (local path or bundle key): used in messages and for <c>{{template_dir}}</c>.</summary>
    public required string Path { get; init; }

    /// <summary>The file's bytes (UTF-8, a byte-order mark is tolerated).</summary>
    public required ReadOnlyMemory<byte> Content { get; init; }

    /// <summary>
    /// HCL2 only: the other <c>*.pkr.hcl</c> files of the folder <see cref="Path"/> belongs to, loaded with it as one
    /// template (Packer reads a folder's files together). Empty for a single file.
    /// </summary>
    public IReadOnlyList<VarFile> MoreFiles { get; init; } = [];

    /// <summary><c>-var k=v</c> in command-line order; a later value wins over an earlier one and over every var file.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Vars { get; init; } = [];

    /// <summary><c>-var-file F</c> in command-line order; a later file wins.</summary>
    public IReadOnlyList<VarFile> VarFiles { get; init; } = [];

    /// <summary><c>-only</c>: build only these builders (by name).</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    /// <summary><c>-except</c>: build every builder but these.</summary>
    public IReadOnlyList<string> Except { get; init; } = [];

    /// <summary>Where scripts and files the build file references are looked up.</summary>
    public required IBundleFiles Files { get; init; }

    /// <summary>
    /// The environment <c>{{env `X`}}</c> (JSON) and <c>env("X")</c> (HCL2) read, only in variable defaults; HCL2 also reads
    /// <c>PKR_VAR_name</c> from it. The default: every variable is unset.
    /// </summary>
    public Func<string, string?> Environment { get; init; } = static _ => null;

    /// <summary>
    /// Where relative paths (<c>script</c>, <c>scripts</c>, <c>source</c>, <c>user_data_file</c>) start, in the form
    /// <see cref="IBundleFiles.GetBuildFileFolder"/> returns: the folder <c>bakery</c> runs in, as Packer resolves them
    /// against its working directory. Null: the build file's folder, which is what a build uploaded to S3 has
    /// (docs/build-files.md). <c>{{template_dir}}/...</c> means the build file's folder either way.
    /// </summary>
    public string? WorkingFolder { get; init; }

    /// <summary>
    /// Set by the HCL2 loader for the JSON it generates: values are bound with HCL2's rules, which have no JSON weak
    /// typing (a string is not split into a list) and no <c>{{user}}</c> (variables are <c>var.NAME</c>).
    /// </summary>
    internal bool FromHcl2 { get; init; }

    /// <summary>
    /// HCL2: the values of the template's <c>amazon-parameterstore</c> and <c>amazon-secretsmanager</c> data sources, by
    /// <see cref="DataSourceRequest.Id"/>, as looked up for <see cref="BuildFileResult.DataRequests"/>. A data source
    /// without a value here is unknown: the load goes on, and what depends on it is unknown (as <c>packer validate</c>
    /// treats data it has not read).
    /// </summary>
    public IReadOnlyDictionary<string, DataSourceValue> DataSources { get; init; } = new Dictionary<string, DataSourceValue>();

    /// <summary>What <c>{{pwd}}</c> renders to.</summary>
    public string Pwd { get; init; } = "";
}
