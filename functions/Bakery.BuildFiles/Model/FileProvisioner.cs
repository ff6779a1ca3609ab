namespace Bakery.BuildFiles.Model;

/// <summary>Packer's <c>file</c> provisioner: files and folders travel through the staging prefix in S3.</summary>
public sealed record FileProvisioner : Provisioner
{
    [System.Text.Json.Serialization.JsonIgnore]
    public override string Type => "file";
    /// <summary><c>source</c> and <c>sources</c>. For <c>direction: download</c> these are remote paths and <see cref="ScriptSource.BundlePath"/> is empty.</summary>
    public IReadOnlyList<ScriptSource> Sources { get; set; } = [];
    /// <summary>Inline <c>content</c> written to <see cref="Destination"/> (upload only).</summary>
    public string? Content { get; init; }
    public required string Destination { get; init; }
    /// <summary><c>upload</c> (default) or <c>download</c>.</summary>
    public string Direction { get; set; } = "upload";
    /// <summary>True when a source is a folder (uploaded as an archive).</summary>
    public bool SourceIsDirectory { get; init; }
}
