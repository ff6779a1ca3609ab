namespace Bakery.BuildFiles;

/// <summary>A <c>-var-file</c>: a JSON object of variable names to values, or (HCL2 templates) a <c>.pkrvars.hcl</c> file; also an HCL2 template file.</summary>
public sealed record VarFile(string Path, ReadOnlyMemory<byte> Content);
