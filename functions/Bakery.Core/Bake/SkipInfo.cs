namespace Bakery.Core.Bake;

/// <summary>Why an execution ends succeeded with nothing to do (e.g. <c>duplicate</c>, <c>not-a-build-file</c>).</summary>
public sealed record SkipInfo(string Reason, string Message);
