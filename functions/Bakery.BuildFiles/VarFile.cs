namespace Bakery.BuildFiles;

/// <summary>A <c>-var-file</c>: a JSON object of variable names to string values.</summary>
public sealed record VarFile(string Path, ReadOnlyMemory<byte> Content);
