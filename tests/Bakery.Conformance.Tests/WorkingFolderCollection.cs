namespace Bakery.Conformance.Tests;

/// <summary>
/// Classes that load build files in this process from the case's folder, setting the process's working folder as a
/// user's shell would: one at a time, so a relative path is never resolved from another class's folder.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WorkingFolderCollection
{
    public const string Name = "Working folder";
}
