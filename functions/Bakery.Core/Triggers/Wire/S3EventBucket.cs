namespace Bakery.Core.Triggers.Wire;

/// <summary><c>detail.bucket</c> of an S3 event.</summary>
public sealed record S3EventBucket
{
    public string? Name { get; init; }
}
