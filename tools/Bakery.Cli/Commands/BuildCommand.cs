using System.CommandLine;
using Bakery.Cli.Build;
using Bakery.Cli.Stack;
using Bakery.BuildFiles;
using Bakery.BuildFiles.Model;

namespace Bakery.Cli.Commands;

/// <summary>
/// <c>bakery build</c>: <c>packer build</c> without a build host. Validates locally first (nothing is launched for a
/// bad build file), then runs the build on the local stand-in (default) and prints Packer-shaped progress.
/// </summary>
internal static class BuildCommand
{
    /// <param name="time">The clock of the build (validation, output timestamps, resume holds); the system's unless a test gives one.</param>
    public static Command Create(TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        var arguments = new BuildFileArguments();
        var machineReadable = new Option<bool>("-machine-readable", "--machine-readable") { Description = "Packer's machine-readable output: timestamp,target,type,data..." };
        var color = new Option<bool>("-color", "--color") { Description = "Colored output (off when stdout is not a terminal or NO_COLOR is set)", DefaultValueFactory = _ => true };
        var onError = new Option<string>("-on-error", "--on-error")
        {
            Description = "After an interrupted build: cleanup (default) removes what it created; abort keeps it for debugging and says how to remove it",
            DefaultValueFactory = _ => "cleanup",
        };
        onError.AcceptOnlyFromAmong("cleanup", "abort");
        var stack = new Option<string?>("--stack", "-stack") { Description = "Run on this deployed stack (default: BAKERY_STACK; none: the local stand-in)" };

        var resume = new Option<string?>("--resume", "-resume")
        {
            Description = "Continue this failed build (its id, as `bakery builds` lists it) from the step after its image, with the images it kept; FILE is the build file it was made from",
        };

        var command = new Command("build", "Bake the AMIs a build file describes (on the local stand-in, or on a deployed stack with --stack).");
        arguments.AddTo(command);
        command.Options.Add(machineReadable);
        command.Options.Add(color);
        command.Options.Add(onError);
        command.Options.Add(stack);
        command.Options.Add(resume);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var input = arguments.CreateInput(parseResult, error);
            if (input is null)
            {
                return 1;
            }

            // A folder is one template, as `packer build FOLDER` reads it; uploaded together it is one build. A folder of
            // one template builds as that file (Prepare reads a lone template as a file build), its var files merged.
            var path = parseResult.GetRequiredValue(arguments.File);
            var folder = Directory.Exists(path) && TemplateFolderFiles.Read(path) is { Templates.Count: > 1 } files ? files : null;
            var settings = new BuildSettings
            {
                Input = input,
                Folder = folder,
                MachineReadable = parseResult.GetValue(machineReadable),
                Color = parseResult.GetValue(color) && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null,
                OnError = parseResult.GetValue(onError) ?? "cleanup",
                Stack = parseResult.GetValue(stack) ?? NullIfEmpty(Environment.GetEnvironmentVariable("BAKERY_STACK")),
                Resume = NullIfEmpty(parseResult.GetValue(resume)),
            };
            return await RunAsync(settings, output, error, clock).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// Relative paths start from the folder bakery runs in (as in Packer), but once uploaded a build file's relative paths
    /// start from its own folder (S3 has no working folder). When the two would name different files, say so before
    /// anything is uploaded.
    /// </summary>
    internal static string? UploadedPathsDiffer(BuildFileInput input, RecordingBundleFiles recorder, TimeProvider time)
    {
        var buildFolder = recorder.GetBuildFileFolder(input.Path);
        if (input.WorkingFolder is null || Path.GetFullPath(input.WorkingFolder) == buildFolder)
        {
            return null;
        }

        var uploaded = new RecordingBundleFiles(new LocalBundleFiles());
        var result = new BuildFileLoader(time).Load(input with { WorkingFolder = null, Files = uploaded });
        if (result.IsValid && uploaded.Referenced.Order(StringComparer.Ordinal).SequenceEqual(recorder.Referenced.Order(StringComparer.Ordinal)))
        {
            return null;
        }

        return $"{input.Path} names files relative to the folder bakery runs in ({input.WorkingFolder}), as Packer does, but an uploaded build "
            + $"resolves them from the build file's folder ({buildFolder}); nothing was started. Run bakery from {buildFolder}, "
            + "or write the paths as {{template_dir}}/... so they mean the same file everywhere.";
    }

    internal static async Task<int> RunAsync(BuildSettings settings, TextWriter output, TextWriter error, TimeProvider time)
    {
        BuildUi ui = settings.MachineReadable ? new MachineReadableUi(output, time.GetUtcNow) : new HumanUi(output, settings.Color);

        // Validate here first, exactly as `bakery validate` does: a bad build file never reaches the stand-in or AWS.
        var recorder = new RecordingBundleFiles(new LocalBundleFiles());
        var input = settings.Input with { Files = recorder };
        var result = new BuildFileLoader(time).Load(input);
        foreach (var warning in result.Warnings)
        {
            error.WriteLine("Warning: " + warning);
        }

        if (!result.IsValid)
        {
            ui.Error(null, $"{input.Path} is not a valid build file; nothing was started:");
            foreach (var problem in result.Errors)
            {
                ui.Plain(problem.ToString());
            }

            return 1;
        }

        if (LocalSettings.Load(input.Path, recorder) is { IsValid: false } sidecar)
        {
            ui.Error(null, $"{LocalSettings.PathFor(input.Path)} is not valid Bakery settings; nothing was started:");
            foreach (var problem in sidecar.Errors)
            {
                ui.Plain(problem.ToString());
            }

            return 1;
        }

        if (result.Definition!.Builds.Count == 0)
        {
            ui.Error(null, "-only/-except selects no builds; nothing to do.");
            return 1;
        }

        if (UploadedPathsDiffer(input, recorder, time) is { } differ)
        {
            ui.Error(null, differ);
            return 1;
        }

        var bundle = BuildBundle.Create(input.Path, recorder.Referenced, input, settings.Folder);
        using var interrupts = new Interrupts();
        if (settings.Resume is { } resumeId)
        {
            if (settings.Stack is { } resumeStack)
            {
                return await StackResumeAsync(resumeStack, resumeId, bundle, result.Definition, ui, interrupts.Token).ConfigureAwait(false);
            }

            try
            {
                return await new LocalBuild(settings, ui, result.Redactor, time).ResumeAsync(resumeId, bundle, result.Definition, interrupts).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (interrupts.Token.IsCancellationRequested)
            {
                ui.Error(null, "Resume interrupted before it started; nothing was launched.");
                return interrupts.ExitCode;
            }
        }

        if (settings.Stack is { } stack)
        {
            var exit = await StackBuildAsync(settings, stack, bundle, result.Definition, ui, interrupts.Token).ConfigureAwait(false);
            return interrupts.Signal is null ? exit : interrupts.ExitCode;
        }

        try
        {
            return await new LocalBuild(settings, ui, result.Redactor, time).RunAsync(bundle, result.Definition, interrupts).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (interrupts.Token.IsCancellationRequested)
        {
            // Before the execution started: at most some of the bundle's files were uploaded (under builds/, the
            // build's input, which a deployed stack keeps too); the build file, whose upload starts a build, goes last.
            ui.Error(null, "Build interrupted before it started; nothing was launched.");
            return interrupts.ExitCode;
        }
    }

    private static async Task<int> StackBuildAsync(BuildSettings settings, string stack, BuildBundle bundle, BuildDefinition definition, BuildUi ui, CancellationToken interrupt)
    {
        if (settings.Input.Only.Count > 0 || settings.Input.Except.Count > 0)
        {
            ui.Error(null, $"-only/-except cannot be used with --stack {stack}: the build starts from the upload, which carries the build file and its variables but no builder selection. Upload a build file with only the builders you want, or run without --stack.");
            return 1;
        }

        try
        {
            using var target = await StackTarget.OpenAsync(stack, interrupt).ConfigureAwait(false);
            return await new StackBuild(target, ui).RunAsync(bundle, definition, interrupt).ConfigureAwait(false);
        }
        catch (StackConfigException error)
        {
            ui.Error(null, error.Message);
            return 1;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            ui.Error(null, "Interrupted before the build started.");
            return 1;
        }
    }

    private static async Task<int> StackResumeAsync(string stack, string buildId, BuildBundle bundle, BuildDefinition definition, BuildUi ui, CancellationToken interrupt)
    {
        try
        {
            using var target = await StackTarget.OpenAsync(stack, interrupt).ConfigureAwait(false);
            return await new StackResume(target, ui).RunAsync(buildId, bundle, definition, interrupt).ConfigureAwait(false);
        }
        catch (StackConfigException error)
        {
            ui.Error(null, error.Message);
            return 1;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            ui.Error(null, "Interrupted before the resume started.");
            return 1;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
