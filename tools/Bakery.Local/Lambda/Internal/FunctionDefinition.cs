namespace Bakery.Local.Lambda.Internal;

/// <summary>One function of the template, with its environment already resolved to local values.</summary>
internal sealed record FunctionDefinition
{
    public required string LogicalId { get; init; }
    public required string FunctionName { get; init; }
    public required string Handler { get; init; }
    public int TimeoutSeconds { get; init; } = 3;
    public int MemorySize { get; init; } = 128;
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
