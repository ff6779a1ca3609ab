using System.CommandLine;
using Bakery.BuildFiles;
using Bakery.BuildFiles.Settings;

namespace Bakery.Cli.Commands;

/// <summary>
/// Packer's build-file flags (<c>-var k=v</c>, <c>-var-file F</c>, <c>-only a,b</c>, <c>-except a,b</c>) and the FILE argument,
/// shared by every command that reads a build file (validate, build).
/// </summary>
/// <param name="environment">Where <c>{{env}}</c> and <c>env()</c> read variables: the process's environment unless a test gives one.</param>
internal sealed class BuildFileArguments(Func<string, string?>? environment = null)
{
    public Option<string[]> Vars { get; } = new("-var", "--var")
    {
        Description = "Set a variable: -var name=value (repeatable; a later -var wins)",
        HelpName = "name=value",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> VarFiles { get; } = new("-var-file", "--var-file")
    {
        Description = "A file of variable values: JSON, or .pkrvars.hcl for HCL2 templates (repeatable; a later file wins; -var wins over files)",
        HelpName = "file",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> Only { get; } = new("-only", "--only")
    {
        Description = "Build only these builders (comma-separated names)",
        HelpName = "names",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> Except { get; } = new("-except", "--except")
    {
        Description = "Build every builder except these (comma-separated names)",
        HelpName = "names",
        AllowMultipleArgumentsPerToken = false,
    };

    public Argument<string> File { get; } = new("FILE") { Description = "The build file: legacy JSON, an HCL2 template (.pkr.hcl or .pkr.json), or a folder of them" };

    public void AddTo(Command command, bool withVariables = true)
    {
        if (withVariables)
        {
            command.Options.Add(Vars);
            command.Options.Add(VarFiles);
            command.Options.Add(Only);
            command.Options.Add(Except);
        }

        command.Arguments.Add(File);
    }

    /// <summary>Reads the build file and var files from disk; on a problem writes it to <paramref name="error"/> and returns null.</summary>
    public BuildFileInput? CreateInput(ParseResult parseResult, TextWriter error)
    {
        var path = parseResult.GetRequiredValue(File);
        var moreFiles = new List<VarFile>();
        var autoVarFiles = new List<VarFile>();
        if (Directory.Exists(path))
        {
            // Packer's rule for a folder: every *.pkr.hcl and then every *.pkr.json in it is one template, every
            // *.auto.pkrvars.hcl is loaded first.
            var templates = Directory.GetFiles(path, "*.pkr.hcl").Order(StringComparer.Ordinal)
                .Concat(Directory.GetFiles(path, "*.pkr.json").Order(StringComparer.Ordinal)).ToList();
            if (templates.Count == 0)
            {
                error.WriteLine($"{path}: the folder has no *.pkr.hcl or *.pkr.json files");
                return null;
            }

            foreach (var other in templates.Skip(1))
            {
                if (ReadFile(other, error) is not { } otherContent)
                {
                    return null;
                }

                moreFiles.Add(new VarFile(other, otherContent));
            }

            foreach (var auto in Directory.GetFiles(path, "*.auto.pkrvars.hcl").Order(StringComparer.Ordinal))
            {
                if (ReadFile(auto, error) is not { } autoContent)
                {
                    return null;
                }

                autoVarFiles.Add(new VarFile(auto, autoContent));
            }

            path = templates[0];
        }

        if (SettingsSidecar.SuffixOf(path) is { } suffix)
        {
            // Uploaded, such a file is read as the settings of the build file beside it and bakes nothing.
            var stem = Path.GetFileName(path)[..^suffix.Length];
            error.WriteLine($"{path}: a name ending in {suffix} is Bakery's settings for {stem}.json beside it, "
                + $"not a build file; rename the build file (for example {stem}.json)");
            return null;
        }

        var content = ReadFile(path, error);
        if (content is null)
        {
            return null;
        }

        var vars = new List<KeyValuePair<string, string>>();
        foreach (var assignment in parseResult.GetValue(Vars) ?? [])
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error.WriteLine($"-var {assignment}: expected name=value");
                return null;
            }

            vars.Add(new KeyValuePair<string, string>(assignment[..equals], assignment[(equals + 1)..]));
        }

        var varFiles = autoVarFiles;
        foreach (var varFile in parseResult.GetValue(VarFiles) ?? [])
        {
            var varContent = ReadFile(varFile, error);
            if (varContent is null)
            {
                return null;
            }

            varFiles.Add(new VarFile(varFile, varContent));
        }

        return new BuildFileInput
        {
            Path = path,
            Content = content,
            MoreFiles = moreFiles,
            Vars = vars,
            VarFiles = varFiles,
            Only = SplitNames(parseResult.GetValue(Only)),
            Except = SplitNames(parseResult.GetValue(Except)),
            Files = new LocalBundleFiles(),
            Environment = environment ?? Environment.GetEnvironmentVariable,
            Pwd = Environment.CurrentDirectory,
            // As in Packer, relative paths (script, source, user_data_file) start from the folder bakery runs in. An uploaded
            // build has no working folder (its build file's folder stands in): `bakery build` refuses, before uploading, a file
            // whose relative paths would name other files there (BuildCommand.UploadedPathsDiffer).
            WorkingFolder = Environment.CurrentDirectory,
        };
    }

    private static string[] SplitNames(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    private static byte[]? ReadFile(string path, TextWriter error)
    {
        try
        {
            return System.IO.File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            var reason = exception is FileNotFoundException or DirectoryNotFoundException ? "file not found" : exception.Message;
            error.WriteLine($"{path}: {reason}");
            return null;
        }
    }
}
