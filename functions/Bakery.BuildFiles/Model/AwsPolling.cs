namespace Bakery.BuildFiles.Model;

/// <summary>Packer's <c>aws_polling</c>: how often and how many times to check a waiter (Packer defaults: 15 s × 40).</summary>
public sealed record AwsPolling
{
    public int? DelaySeconds { get; init; }
    public int? MaxAttempts { get; init; }
}
