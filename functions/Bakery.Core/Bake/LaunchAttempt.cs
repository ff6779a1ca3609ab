namespace Bakery.Core.Bake;

/// <summary>One RunInstances Launch made: the type and market it asked for, and the instance it got or the error EC2 gave.</summary>
public sealed record LaunchAttempt
{
    public required string InstanceType { get; init; }

    /// <summary><c>spot</c> or <c>on-demand</c>.</summary>
    public required string Market { get; init; }

    /// <summary>The instance this attempt started; null when EC2 refused it.</summary>
    public string? InstanceId { get; init; }

    /// <summary>EC2's error code and message when it refused this attempt.</summary>
    public string? Error { get; init; }
}
