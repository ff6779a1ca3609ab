using Microsoft.Extensions.Primitives;

namespace Bakery.Local.Aws;

/// <summary>
/// Test-only: the instance types for which the <see cref="Ec2ThrottlingProxy"/> answers RunInstances as EC2 does when a
/// zone has no capacity (HTTP 500, <c>InsufficientInstanceCapacity</c>), something neither moto nor any other stand-in
/// can produce. Text form (the <c>BAKERY_LOCAL_NO_CAPACITY</c> variable): comma-separated types, each optionally limited to
/// one market with <c>:spot</c> or <c>:on-demand</c>, e.g. <c>t3.micro:spot,t3a.micro</c>. Part of the stand-in only;
/// the product never reads it.
/// </summary>
public sealed class Ec2CapacityPlan
{
    /// <summary>The environment variable the CLI's local stand-in reads.</summary>
    public const string EnvironmentVariable = "BAKERY_LOCAL_NO_CAPACITY";

    private readonly HashSet<(string Type, string? Market)> refused;

    private Ec2CapacityPlan(HashSet<(string, string?)> refused) => this.refused = refused;

    /// <summary>Capacity for everything: what EC2 usually has.</summary>
    public static Ec2CapacityPlan None { get; } = new([]);

    public bool IsActive => refused.Count > 0;

    /// <summary>Parses the text form; anything else is a <see cref="FormatException"/> naming the bad entry.</summary>
    public static Ec2CapacityPlan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new HashSet<(string, string?)>();
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(':');
            var market = parts.Length == 2 ? parts[1] : null;
            if (parts.Length > 2 || parts[0].Length == 0 || !parts[0].Contains('.', StringComparison.Ordinal) || market is not (null or "spot" or "on-demand"))
            {
                throw new FormatException($"{EnvironmentVariable}: \"{entry}\" is not TYPE or TYPE:spot or TYPE:on-demand (e.g. t3.micro:spot)");
            }

            entries.Add((parts[0], market));
        }

        return entries.Count == 0 ? None : new Ec2CapacityPlan(entries);
    }

    /// <summary>The plan of an environment variable's value; none when unset or empty.</summary>
    public static Ec2CapacityPlan FromSetting(string? value) => string.IsNullOrWhiteSpace(value) ? None : Parse(value);

    /// <summary>The instance type a RunInstances form asks for, when this plan has no capacity for it; null otherwise.</summary>
    public string? Refuses(IReadOnlyDictionary<string, StringValues> form)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (!IsActive || !form.TryGetValue("Action", out var action) || action != "RunInstances" || !form.TryGetValue("InstanceType", out var typeValue))
        {
            return null;
        }

        var type = typeValue.ToString();
        var market = form.TryGetValue("InstanceMarketOptions.MarketType", out var marketValue) && marketValue == "spot" ? "spot" : "on-demand";
        return refused.Contains((type, null)) || refused.Contains((type, market)) ? type : null;
    }
}
