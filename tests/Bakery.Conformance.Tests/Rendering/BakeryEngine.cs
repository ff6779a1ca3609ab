using System.CommandLine;
using Bakery.BuildFiles;
using Bakery.Cli.Commands;
using Bakery.Conformance.Tests.Corpus;

namespace Bakery.Conformance.Tests.Rendering;

/// <summary>
/// Loads a case the way <c>bakery validate</c> does — the CLI's own argument handling, then the engine — in this
/// process, so the rendered values can be read from the result. Runs in the case's working folder with the case's
/// environment, as the CLI process would.
/// </summary>
public static class BakeryEngine
{
    private static readonly Lock WorkingFolderGate = new();

    public static BuildFileResult Load(ConformanceCase @case, string folder)
    {
        var arguments = new BuildFileArguments(ConformanceCorpus.EnvironmentVariable);
        var command = new Command("validate");
        arguments.AddTo(command);
        lock (WorkingFolderGate)
        {
            var previous = Environment.CurrentDirectory;
            Environment.CurrentDirectory = folder;
            try
            {
                using var errors = new StringWriter();
                var input = arguments.CreateInput(command.Parse([.. @case.Args, @case.File]), errors)
                    ?? throw new InvalidOperationException($"bakery could not read the arguments of {@case.Name}: {errors}");
                return new BuildFileLoader(TimeProvider.System).Load(input);
            }
            finally
            {
                Environment.CurrentDirectory = previous;
            }
        }
    }
}
