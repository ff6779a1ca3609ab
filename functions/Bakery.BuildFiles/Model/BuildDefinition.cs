namespace Bakery.BuildFiles.Model;

/// <summary>
/// A build file after parse → render → validate: what the bake steps consume.
/// </summary>
public sealed record BuildDefinition
{
    /// <summary>The build file's path as given (local path or bundle-relative key), for messages.</summary>
    public required string FilePath { get; init; }
    public string? Description { get; init; }
    /// <summary>One plan per selected builder, in file order.</summary>
    public required IReadOnlyList<BuildPlan> Builds { get; init; }
    /// <summary>Every user variable's final value, with sensitive values already replaced by <c>&lt;sensitive&gt;</c>.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; set; } = new Dictionary<string, string>();
    /// <summary>Names listed in <c>sensitive-variables</c>.</summary>
    public IReadOnlyList<string> SensitiveVariables { get; set; } = [];
    /// <summary>The <c>{{timestamp}}</c> of this build (Unix seconds), the same in every field.</summary>
    public long Timestamp { get; init; }
    /// <summary>Packer's <c>packer_run_uuid</c> for the manifest.</summary>
    public required string RunUuid { get; init; }
}
