namespace Bakery.Core.Bake;

/// <summary>Where provisioning is: the provisioner in progress, its SSM command, its attempt, the last output tail.</summary>
public sealed record ProvisioningInfo
{
    /// <summary>Index into <c>Build.Provisioners</c> of the provisioner in progress; equal to the count when all are done.</summary>
    public int Index { get; init; }
    public string? CommandId { get; init; }
    public int Attempt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public string? Status { get; init; }
    public int? ExitCode { get; init; }
    public string? OutputTail { get; init; }
    public string? ErrorTail { get; init; }
    public bool Finished { get; init; }
}
