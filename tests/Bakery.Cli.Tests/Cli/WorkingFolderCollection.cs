namespace Bakery.EndToEnd.Tests.Cli;

/// <summary>
/// Tests that run the CLI in-process from a folder of their choosing: the working folder is the process's, so they
/// run alone, never beside a test that reads it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorkingFolderCollection
{
    public const string Name = "Working folder";
}
