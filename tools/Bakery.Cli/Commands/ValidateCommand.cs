using System.CommandLine;
using Bakery.BuildFiles;

namespace Bakery.Cli.Commands;

/// <summary><c>bakery validate</c>: every problem of a build file, as <c>FILE:LINE:COL: JSON.PATH: message</c>.</summary>
internal static class ValidateCommand
{
    public const string ValidMessage = "The configuration is valid.";

    /// <param name="time">The clock of the build file's templates; the system's unless a test gives one.</param>
    /// <param name="environment">The variables the build file reads; the process's unless a test gives them.</param>
    public static Command Create(TimeProvider? time = null, Func<string, string?>? environment = null)
    {
        var arguments = new BuildFileArguments(environment);
        var command = new Command("validate", "Check a build file: JSON, variables, templates, builders, provisioners, referenced files, and Bakery's settings beside it (NAME.bakery.json).");
        arguments.AddTo(command);
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var input = arguments.CreateInput(parseResult, error);
            if (input is null)
            {
                return 1;
            }

            var result = new BuildFileLoader(time ?? TimeProvider.System).Load(input);
            foreach (var warning in result.Warnings)
            {
                error.WriteLine("Warning: " + warning);
            }

            // Bakery's own settings beside the build file are checked with it: their problems in the same form.
            var settings = Build.LocalSettings.Load(input.Path);
            if (!result.IsValid || settings is { IsValid: false })
            {
                foreach (var problem in result.Errors.Concat(settings?.Errors ?? []))
                {
                    output.WriteLine(problem.ToString());
                }

                return 1;
            }

            output.WriteLine(ValidMessage);
            return 0;
        });
        return command;
    }
}
