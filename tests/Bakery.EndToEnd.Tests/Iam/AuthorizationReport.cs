using System.Text.Json.Nodes;

namespace Bakery.EndToEnd.Tests.Iam;

/// <summary>What evaluate.mjs answered: every authorization request with its decision, the denied ones, the grants no request needed.</summary>
internal sealed record AuthorizationReport(JsonObject Result, int Calls, string Folder)
{
    public IReadOnlyList<JsonNode> Requests => [.. Result["requests"]!.AsArray().Select(n => n!)];

    public IReadOnlyList<string> Denied =>
        [.. Result["denied"]!.AsArray().Select(n => $"{n!["call"]} → {n["action"]} on {n["resource"]}: {n["decision"]}; closest: {n["closest"] ?? n["reason"]}").Distinct()];

    public IReadOnlyList<string> Unused => [.. Result["unused"]!.AsArray().Select(n => n!.GetValue<string>())];

    public IReadOnlyList<string> Unmapped => [.. Result["unmapped"]!.AsArray().Select(n => n!.GetValue<string>()).Distinct()];
}
