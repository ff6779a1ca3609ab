namespace Bakery.Core.Aws;

/// <summary>An SSM parameter's current value and its version.</summary>
public sealed record ParameterValue(string Value, long Version);
