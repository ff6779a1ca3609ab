using System.CommandLine;
using Bakery.BuildFiles;
using Bakery.BuildFiles.Settings;

namespace Bakery.Cli.Commands;

/// <summary><c>bakery inspect</c>: what a build file declares, in <c>packer inspect</c>'s exact words and machine-readable lines.</summary>
internal static class InspectCommand
{
    /// <param name="environment">The variables the build file reads; the process's unless a test gives them.</param>
    public static Command Create(Func<string, string?>? environment = null)
    {
        var arguments = new BuildFileArguments(environment);
        var machineReadable = new Option<bool>("-machine-readable", "--machine-readable")
        {
            Description = "Packer's machine-readable output: timestamp,target,type,data... (template-variable, template-builder, template-provisioner lines)",
        };
        var stackDefaults = new Option<string?>("--stack-defaults", "-stack-defaults")
        {
            Description = "The deployed stack's BakeryDefaults parameter (the JSON object, or a file holding it), shown under the sidecar's settings; " +
                "inspect cannot read a deployed stack's parameters (default: none, as the local stand-in runs)",
        };
        var command = new Command("inspect", "Show a build file's variables, builders and provisioners, as packer inspect does.");
        command.Options.Add(machineReadable);
        command.Options.Add(stackDefaults);
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

            var settings = Build.LocalSettings.Load(input.Path);
            var sidecar = Build.LocalSettings.PathFor(input.Path);
            var defaults = parseResult.GetValue(stackDefaults) is { } given ? LoadStackDefaults(given) : null;
            if (parseResult.GetValue(machineReadable))
            {
                var now = DateTimeOffset.UtcNow;
                void Emit(string type, string[] data) => output.WriteLine(Build.MachineReadableUi.Format(now, "", type, data));
                Write(result.Outline, Emit);
                WriteSettings(sidecar, settings, defaults, Emit);
            }
            else
            {
                void Emit(string type, string[] data)
                {
                    if (type == "ui")
                    {
                        output.WriteLine(data[1]);
                    }
                }

                Write(result.Outline, Emit);
                WriteSettings(sidecar, settings, defaults, Emit);
            }

            return settings is { IsValid: false } || defaults is { IsValid: false } ? 1 : 0;
        });
        return command;
    }

    /// <summary>
    /// What <c>packer inspect</c> (1.6.6, JSON mode) says, as a series of machine-readable events: <c>ui,say,TEXT</c> (the
    /// human output is exactly these texts, one per line) and the data lines scripts parse
    /// (<c>template-variable,NAME,DEFAULT,REQUIRED</c>, <c>template-builder,NAME,TYPE</c>, <c>template-provisioner,TYPE</c>).
    /// Variables and builders are sorted by name, as Packer sorts them; post-processors are not listed (Packer does not).
    /// </summary>
    internal static void Write(BuildFileOutline outline, Action<string, string[]> emit)
    {
        void Say(string text) => emit("ui", ["say", text]);

        Say("Packer Inspect: JSON mode");
        if (!string.IsNullOrEmpty(outline.Description))
        {
            Say("Description:\n");
            Say(outline.Description + "\n");
        }

        var variables = outline.Variables.OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
        if (variables.Count == 0)
        {
            Say("Variables:\n");
            Say("  <No variables>");
            Say("");
        }
        else
        {
            var width = variables.Max(v => v.Name.Length);
            var required = variables.Where(v => v.IsRequired).ToList();
            if (required.Count > 0)
            {
                Say("Required variables:\n");
                foreach (var variable in required)
                {
                    emit("template-variable", [variable.Name, "", "1"]);
                    Say("  " + variable.Name);
                }

                Say("");
            }

            var optional = variables.Where(v => !v.IsRequired).ToList();
            if (optional.Count > 0)
            {
                Say("Optional variables and their defaults:\n");
                foreach (var variable in optional)
                {
                    var shown = variable.IsSensitive ? Redactor.Mask : variable.Default!;
                    emit("template-variable", [variable.Name, shown, "0"]);
                    Say($"  {variable.Name.PadRight(width)} = {shown}");
                }

                Say("");
            }
        }

        Say("Builders:\n");
        var builders = outline.Builders.OrderBy(b => b.Key, StringComparer.Ordinal).ToList();
        foreach (var (name, type) in builders)
        {
            emit("template-builder", [name, type]);
            Say(name == type ? "  " + name : $"  {name,-10} ({type})");
        }

        if (builders.Count == 0)
        {
            Say("  <No builders>");
        }

        Say("");
        Say("Provisioners:\n");
        foreach (var type in outline.Provisioners)
        {
            emit("template-provisioner", [type]);
            Say("  " + type);
        }

        if (outline.Provisioners.Count == 0)
        {
            Say("  <No provisioners>");
        }

        Say("\nNote: If your build names contain user variables or template\nfunctions such as 'timestamp', these are processed at build time,\nand therefore only show in their raw form here.");
    }

    /// <summary>
    /// <c>--stack-defaults</c>'s value: the JSON object itself (it starts with <c>{</c>), else a file holding it (not
    /// <c>@FILE</c>, which the command line takes for a response file); checked as Prepare checks the stack's parameter.
    /// </summary>
    internal static BakerySettingsResult LoadStackDefaults(string given)
    {
        if (given.TrimStart().StartsWith('{'))
        {
            return BakerySettingsLoader.Load(BakerySettingsLoader.StackDefaultsName, System.Text.Encoding.UTF8.GetBytes(given));
        }

        return File.Exists(given)
            ? BakerySettingsLoader.Load(given, File.ReadAllBytes(given))
            : new BakerySettingsResult { Errors = [new Diagnostic(given, 0, 0, "", $"--stack-defaults: {given} does not exist (give the stack's BakeryDefaults JSON, or a file holding it)", null)] };
    }

    /// <summary>
    /// Bakery's effective settings, after what Packer prints, so the output of a build file without settings stays exactly
    /// Packer's: the stack's defaults (<paramref name="defaults"/>, when given) under the sidecar <c>NAME.bakery.json</c>,
    /// group by group as Prepare merges them, each group with where it comes from (<c>bakery-setting,KEY,VALUE</c> and
    /// <c>bakery-setting-source,GROUP,SOURCE</c> lines), or the problems of either.
    /// </summary>
    internal static void WriteSettings(string? sidecar, BakerySettingsResult? settings, BakerySettingsResult? defaults, Action<string, string[]> emit)
    {
        var sidecarName = sidecar is null ? null : Path.GetFileName(sidecar);
        List<(string Name, BakerySettingsResult Result)> sources = [];
        if (defaults is not null)
        {
            sources.Add((BakerySettingsLoader.StackDefaultsName, defaults));
        }

        if (sidecarName is not null && settings is not null)
        {
            sources.Add((sidecarName, settings));
        }

        if (sources.Count == 0)
        {
            return;
        }

        void Say(string text) => emit("ui", ["say", text]);
        Say($"\nBakery settings ({string.Join(", under ", sources.Select(source => source.Name).Reverse())}):\n");
        var problems = sources.SelectMany(source => source.Result.Errors).ToList();
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                emit("ui", ["error", problem.ToString()]);
                Say("  " + problem);
            }

            return;
        }

        var lower = defaults?.Settings ?? BakerySettings.None;
        var upper = settings?.Settings ?? BakerySettings.None;
        var effective = upper.Over(lower);
        if (effective.IsEmpty)
        {
            Say("  <No settings>");
            return;
        }

        void From(string group, object? fromSidecar)
        {
            var source = fromSidecar is not null ? sidecarName! : BakerySettingsLoader.StackDefaultsName;
            emit("bakery-setting-source", [group, source]);
            Say($"    (from {source})");
        }

        if (effective.PublishParameter is { } publish)
        {
            emit("bakery-setting", ["publish_parameter.name", publish.Name]);
            Say($"  publish_parameter.name = {publish.Name}");
            Say("    (the AMI id, in every region it lands in: the build region and ami_regions)");
            From("publish_parameter", upper.PublishParameter);
        }

        if (effective.Capacity is { } capacity)
        {
            var types = string.Join(",", capacity.FallbackInstanceTypes);
            var onDemand = capacity.OnDemandFallback ? "true" : "false";
            emit("bakery-setting", ["capacity.fallback_instance_types", types]);
            emit("bakery-setting", ["capacity.on_demand_fallback", onDemand]);
            Say($"  capacity.fallback_instance_types = [{string.Join(", ", capacity.FallbackInstanceTypes)}]");
            Say($"  capacity.on_demand_fallback = {onDemand}");
            Say("    (tried in order after the build file's instance type(s) when EC2 has no capacity; spot first when spot_price is set)");
            From("capacity", upper.Capacity);
        }

        if (effective.Lifecycle is { } lifecycle)
        {
            (string Key, string? Value)[] lines =
            [
                ("lifecycle.family", lifecycle.Family ?? "(the build file's name/{{build_name}})"),
                ("lifecycle.keep", lifecycle.Keep?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("lifecycle.action", lifecycle.Keep is null ? null : lifecycle.Action.ToString().ToLowerInvariant()),
                ("lifecycle.deprecate_after_days", lifecycle.DeprecateAfterDays?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("lifecycle.deprecate_at", lifecycle.DeprecateAt?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)),
                ("lifecycle.protect_newest", lifecycle.ProtectNewest ? "true" : null),
                ("lifecycle.dry_run", lifecycle.DryRun ? "true" : null),
            ];
            foreach (var (key, value) in lines.Where(line => line.Value is not null))
            {
                emit("bakery-setting", [key, value!]);
                Say($"  {key} = {value}");
            }

            Say("    (after Publish, in every region the AMI lands in; never an image an instance or launch template uses)");
            From("lifecycle", upper.Lifecycle);
        }

        if (effective.TestImage is { } test)
        {
            emit("bakery-setting", ["test_image.on_failure", test.OnFailure]);
            Say($"  test_image.on_failure = {test.OnFailure}");
            if (test.InstanceType is { } instanceType)
            {
                emit("bakery-setting", ["test_image.instance_type", instanceType]);
                Say($"  test_image.instance_type = {instanceType}");
            }

            foreach (var provisioner in test.Provisioners)
            {
                emit("bakery-setting", [$"test_image.provisioners[{provisioner.Index}]", provisioner.Type]);
                Say($"  test_image.provisioners[{provisioner.Index}] = {provisioner.Type}");
            }

            Say("    (run on a fresh instance of the new AMI before it is tagged, copied, shared or published)");
            From("test_image", upper.TestImage);
        }

        Say("  A console or schedule input's \"bakery\" wins over these, group by group.");
    }
}
