namespace Bakery.Conformance.Tests.Rendering;

/// <summary>One template string of a case: where it is, the text as written, and what Bakery rendered it to.</summary>
public sealed record RenderProbe(string Place, string Template, string BakeryValue);
