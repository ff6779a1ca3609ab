namespace Bakery.Local.StandIn;

/// <summary>
/// Where a running stand-in is: what <c>bakery local up</c> records in <c>.bakery/local/state.json</c> and what
/// <c>bakery local status</c> prints.
/// </summary>
public sealed record StandInDescription
{
    public required string AwsEndpoint { get; init; }
    public required string LambdaEndpoint { get; init; }
    public required string Bucket { get; init; }
    public required string LedgerTable { get; init; }
    public required string InstanceProfile { get; init; }
    public required string Region { get; init; }
    /// <summary>The process serving the stand-in (the local Lambda service and the upload trigger).</summary>
    public int ProcessId { get; init; }
    /// <summary>The moto port this stand-in started (0 when it uses an endpoint it did not start).</summary>
    public int MotoPort { get; init; }
    public string? LogDirectory { get; init; }
}
