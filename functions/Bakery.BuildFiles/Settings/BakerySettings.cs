using System.Text.Json.Serialization;

namespace Bakery.BuildFiles.Settings;

/// <summary>
/// Bakery's own settings for a build: what Packer's build file has no place for (a Packer build file must stay valid for
/// Packer). Written in a sidecar <c>NAME.bakery.json</c> beside the build file, or under <c>"bakery"</c> in a console or
/// schedule input; one schema for both (docs/build-files.md, "Bakery's own settings").
/// </summary>
public sealed record BakerySettings
{
    /// <summary>No settings: what a build without a sidecar gets.</summary>
    public static BakerySettings None { get; } = new();

    /// <summary>Publish the new AMI id to SSM Parameter Store in every region the AMI lands in; null: publish nothing.</summary>
    public PublishParameterSettings? PublishParameter { get; init; }

    /// <summary>Other instance types, and on-demand after spot, when EC2 has no capacity; null: the build file's type only.</summary>
    public CapacitySettings? Capacity { get; init; }

    /// <summary>Deprecation of the new AMI and retention of its family, after Publish; null: no lifecycle.</summary>
    public LifecycleSettings? Lifecycle { get; init; }

    /// <summary>Test the new AMI on a fresh instance before it is tagged, copied, shared or published; null: no test.</summary>
    public TestImageSettings? TestImage { get; init; }

    /// <summary>True when nothing is set.</summary>
    [JsonIgnore]
    public bool IsEmpty => PublishParameter is null && Capacity is null && Lifecycle is null && TestImage is null;

    /// <summary>These settings where set, <paramref name="lower"/>'s elsewhere (a console input's over its sidecar's).</summary>
    public BakerySettings Over(BakerySettings lower)
    {
        ArgumentNullException.ThrowIfNull(lower);
        return new BakerySettings
        {
            PublishParameter = PublishParameter ?? lower.PublishParameter,
            Capacity = Capacity ?? lower.Capacity,
            Lifecycle = Lifecycle ?? lower.Lifecycle,
            TestImage = TestImage ?? lower.TestImage,
        };
    }
}
