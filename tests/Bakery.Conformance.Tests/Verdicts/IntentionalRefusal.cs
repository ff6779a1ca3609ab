namespace Bakery.Conformance.Tests.Verdicts;

/// <summary>A row of the intentional-refusals table in docs/build-files.md: what Packer accepts and Bakery refuses, and why.</summary>
public sealed record IntentionalRefusal(string Id, string Reason, string ErrorFragment);
