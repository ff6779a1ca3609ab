using System.Text.Json.Serialization;

namespace Bakery.BuildFiles.Model;

/// <summary>
/// A rendered provisioner. The <c>type</c> discriminator is written first so the bake state round-trips
/// through the source-generated serializer.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ShellProvisioner), "shell")]
[JsonDerivedType(typeof(FileProvisioner), "file")]
[JsonDerivedType(typeof(PowerShellProvisioner), "powershell")]
public abstract record Provisioner
{
    /// <summary>The provisioner's <c>type</c> as written in the build file.</summary>
    [JsonIgnore]
    public abstract string Type { get; }
    /// <summary>
    /// The <see cref="Index"/> of the error-cleanup provisioner, which is no entry of <c>provisioners</c>: it keys its
    /// staged text and logs apart from theirs.
    /// </summary>
    public const int ErrorCleanupIndex = -1;

    /// <summary>Position in the build file's <c>provisioners</c> array (for messages: <c>provisioners[2]</c>).</summary>
    public int Index { get; init; }

    /// <summary>How messages name it: <c>provisioners[2]</c>, or <c>error-cleanup-provisioner</c>.</summary>
    [JsonIgnore]
    public string Label => Index == ErrorCleanupIndex ? "error-cleanup-provisioner" : $"provisioners[{Index}]";
    public IReadOnlyList<string> Only { get; set; } = [];
    public IReadOnlyList<string> Except { get; set; } = [];
    public int PauseBeforeSeconds { get; init; }
    /// <summary>Packer's <c>pause_after</c> (shell): a wait after the provisioner succeeded, before the next one starts.</summary>
    public int PauseAfterSeconds { get; init; }
    public int MaxRetries { get; init; }
    /// <summary>Per-attempt timeout; becomes the SSM command's <c>executionTimeout</c>.</summary>
    public int? TimeoutSeconds { get; init; }
    /// <summary>
    /// Where the provisioner's inline text (a shell/powershell <c>inline</c> script, a file's <c>content</c>) was put
    /// for the instance, by whoever runs the plan; the plan then carries none of the text, which can be large.
    /// </summary>
    public string? StagedInlineKey { get; init; }

    /// <summary>Packer's <c>only</c>/<c>except</c> rule for one builder.</summary>
    public bool AppliesTo(string builderName) =>
        (Only.Count == 0 || Only.Contains(builderName)) && !Except.Contains(builderName);
}
