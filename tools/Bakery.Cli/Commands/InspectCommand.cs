using System.CommandLine;
using Bakery.BuildFiles;

namespace Bakery.Cli.Commands;

/// <summary><c>bakery inspect</c>: what a build file declares, laid out like <c>packer inspect</c>.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var arguments = new BuildFileArguments();
        var command = new Command("inspect", "Show a build file's variables, builders, provisioners and post-processors.");
        arguments.AddTo(command, withVariables: false);
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var input = arguments.CreateInput(parseResult, error);
            if (input is null)
            {
                return 1;
            }

            var result = new BuildFileLoader(TimeProvider.System).Load(input);
            if (result.Outline is null)
            {
                foreach (var problem in result.Errors)
                {
                    output.WriteLine(problem.ToString());
                }

                return 1;
            }

            Write(result.Outline, output);
            return 0;
        });
        return command;
    }

    internal static void Write(BuildFileOutline outline, TextWriter output)
    {
        if (!string.IsNullOrEmpty(outline.Description))
        {
            output.WriteLine("Description:");
            output.WriteLine();
            output.WriteLine("  " + outline.Description);
            output.WriteLine();
        }

        var required = outline.Variables.Where(v => v.IsRequired).Select(v => v.Name).ToList();
        Section(output, "Required variables:", required, "<No required variables>");

        var optional = outline.Variables.Where(v => !v.IsRequired).ToList();
        var width = optional.Count == 0 ? 0 : optional.Max(v => v.Name.Length);
        Section(output, "Optional variables and their defaults:",
            [.. optional.Select(v => $"{v.Name.PadRight(width)} = {(v.IsSensitive ? Redactor.Mask : v.Default)}")],
            "<No optional variables>");

        Section(output, "Builders:",
            [.. outline.Builders.Select(b => b.Key == b.Value ? b.Key : $"{b.Key,-20} {b.Value}")], "<No builders>");
        Section(output, "Provisioners:", outline.Provisioners, "<No provisioners>");
        Section(output, "Post-processors:", outline.PostProcessors, "<No post-processors>", last: true);
        output.WriteLine();
        output.WriteLine("Note: If your build names contain user variables or template");
        output.WriteLine("functions such as 'timestamp', these are processed at build time,");
        output.WriteLine("and therefore only show in their raw form here.");
    }

    private static void Section(TextWriter output, string title, IReadOnlyList<string> lines, string none, bool last = false)
    {
        output.WriteLine(title);
        output.WriteLine();
        foreach (var line in lines.Count == 0 ? [none] : lines)
        {
            output.WriteLine("  " + line);
        }

        if (!last)
        {
            output.WriteLine();
        }
    }
}
