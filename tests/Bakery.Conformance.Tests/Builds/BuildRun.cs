using Bakery.Conformance.Tests.Oracle;

namespace Bakery.Conformance.Tests.Builds;

/// <summary>One tool's build of a case: how it ended, what it left on moto, and the manifest files it wrote (path → text).</summary>
public sealed record BuildRun(ToolResult Result, MotoInventory Inventory, IReadOnlyDictionary<string, string> Manifests);
