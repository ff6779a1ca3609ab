namespace Bakery.BuildFiles;

/// <summary>
/// A symbolic link that may not travel with a build: <see cref="Link"/> is its bundle path, <see cref="Target"/> what
/// it points to (as stored in the link).
/// </summary>
public sealed record BundleLinkProblem(string Link, string Target, BundleLinkProblemKind Kind);
