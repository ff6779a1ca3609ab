namespace Bakery.BuildFiles.Model;

/// <summary>
/// A local file a provisioner references: the path as written, and the path relative to the bundle root
/// (the folder that holds the build file and everything it references), normalized with '/'.
/// </summary>
public sealed record ScriptSource(string AsWritten, string BundlePath);
