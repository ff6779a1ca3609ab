namespace Bakery.Core.Steps.Internal;

/// <summary>One way to launch the builder: an instance type, on spot (with its maximum price, null for up to on-demand) or on-demand.</summary>
public sealed record LaunchOption(string InstanceType, bool Spot, string? MaxPrice)
{
    public const string SpotMarket = "spot";
    public const string OnDemandMarket = "on-demand";

    public string Market => Spot ? SpotMarket : OnDemandMarket;

    public override string ToString() => $"{InstanceType} ({Market})";
}
