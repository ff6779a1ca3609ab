namespace Bakery.Local;

/// <summary>Entry point of the local stand-in for AWS (filled in by the local Lambda service and runners).</summary>
public static class LocalStandIn;
