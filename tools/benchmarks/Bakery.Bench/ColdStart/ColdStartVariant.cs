namespace Bakery.Bench.ColdStart;

/// <summary>One way of running the functions: a file to execute, its arguments, and what it weighs on disk.</summary>
internal sealed record ColdStartVariant(string Name, string FileName, IReadOnlyList<string> Arguments, long SizeBytes, string SizeNote);
