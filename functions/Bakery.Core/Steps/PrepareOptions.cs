namespace Bakery.Core.Steps;

/// <summary>Tunables of <see cref="PrepareStep"/>.</summary>
public sealed record PrepareOptions
{
    /// <summary>A build's deadline when its aws_polling and provisioner timeouts do not call for more.</summary>
    public TimeSpan DefaultBuildTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>
    /// How long to keep re-listing the bundle for files the build references that have not arrived yet (a bundle
    /// uploaded with <c>aws s3 cp --recursive</c> lands one object at a time). Bounded: this is a wait inside a Lambda.
    /// </summary>
    public TimeSpan MissingFileWait { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Pause between two listings while waiting for files.</summary>
    public TimeSpan MissingFilePoll { get; init; } = TimeSpan.FromSeconds(2);
}
