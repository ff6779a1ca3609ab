namespace Bakery.BuildFiles.Settings;

/// <summary>
/// <c>lifecycle</c>: what happens to the new AMI and to the older images of its family once the build has published
/// it, in every region the AMI landed in (docs/build-files.md, "Lifecycle"). Runs as its own step after Publish.
/// </summary>
public sealed record LifecycleSettings
{
    /// <summary>The most days after which an AMI may be deprecated (EnableImageDeprecation allows at most 10 years).</summary>
    public const int MaxDeprecateAfterDays = 3650;

    /// <summary>The longest family name: it is an EC2 tag value (at most 256 characters) once the build name is in it.</summary>
    public const int MaxFamilyLength = 128;

    /// <summary>
    /// The family the new image joins (tag <c>bakery:family</c>), with <c>{{build_name}}</c> for the builder's name;
    /// null: the build file's name and the builder's, e.g. <c>golden/amazon-ebs</c>.
    /// </summary>
    public string? Family { get; init; }

    /// <summary>Keep the newest this many images of the family (the new one included); null: keep them all.</summary>
    public int? Keep { get; init; }

    /// <summary>What happens to an image past <see cref="Keep"/>.</summary>
    public LifecycleAction Action { get; init; } = LifecycleAction.Deregister;

    /// <summary>Deprecate the new AMI this many days after it was made; null: not by days.</summary>
    public int? DeprecateAfterDays { get; init; }

    /// <summary>Deprecate the new AMI at this time (UTC); null: not at a fixed time.</summary>
    public DateTimeOffset? DeprecateAt { get; init; }

    /// <summary>Turn on deregistration protection on the new AMI (and off on the family's older ones).</summary>
    public bool ProtectNewest { get; init; }

    /// <summary>List what would be deprecated, disabled or deregistered, and change nothing.</summary>
    public bool DryRun { get; init; }
}
