namespace Bakery.Core.Steps.Internal;

/// <summary>
/// The <c>detail</c> of a Bakery build event (docs/operations.md#build-events): which build, how it ended, the AMIs
/// each builder made per region, where the manifest is, and the error and cause of a failure (masked like every
/// message of the build).
/// </summary>
internal sealed record BuildEventDetail
{
    public required string BuildId { get; init; }

    /// <summary><c>Succeeded</c> or <c>Failed</c>.</summary>
    public required string Status { get; init; }

    /// <summary>The build file, <c>s3://bucket/key</c>; null when Prepare refused the input before it had one.</summary>
    public string? BuildFile { get; init; }

    public IReadOnlyList<BuildEventBuild> Builds { get; init; } = [];

    /// <summary>The manifests written, <c>s3://bucket/key</c>.</summary>
    public IReadOnlyList<string> Manifests { get; init; } = [];

    public string? Error { get; init; }

    public string? Cause { get; init; }
}
