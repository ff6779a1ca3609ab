namespace Bakery.Hcl.Evaluation;

/// <summary>What an expression can see: the variables at its root (<c>var</c>, <c>local</c>, <c>path</c>, ...) and the functions.</summary>
public sealed record HclContext
{
    public IReadOnlyDictionary<string, HclValue> Variables { get; init; } = new Dictionary<string, HclValue>(StringComparer.Ordinal);

    public required HclFunctions Functions { get; init; }

    /// <summary>A copy with one more variable (a <c>for</c> or directive variable, a dynamic block's iterator).</summary>
    public HclContext With(string name, HclValue value)
    {
        var variables = new Dictionary<string, HclValue>(Variables, StringComparer.Ordinal) { [name] = value };
        return this with { Variables = variables };
    }
}
