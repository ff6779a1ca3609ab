using System.CommandLine;
using Bakery.BuildFiles;
using Bakery.BuildFiles.Settings;

namespace Bakery.Cli.Commands;

/// <summary><c>bakery inspect</c>: what a build file declares, in <c>packer inspect</c>'s exact words and machine-readable lines.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var arguments = new BuildFileArguments();
        var machineReadable = new Option<bool>("-machine-readable", "--machine-readable")
        {
            Description = "Packer's machine-readable output: timestamp,target,type,data... (template-variable, template-builder, template-provisioner lines)",
        };
        var command = new Command("inspect", "Show a build file's variables, builders and provisioners, as packer inspect does.");
        command.Options.Add(machineReadable);
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
            if (parseResult.GetValue(machineReadable))
            {
                var now = DateTimeOffset.UtcNow;
                void Emit(string type, string[] data) => output.WriteLine(Build.MachineReadableUi.Format(now, "", type, data));
                Write(result.Outline, Emit);
                WriteSettings(sidecar, settings, Emit);
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
                WriteSettings(sidecar, settings, Emit);
            }

            return settings is { IsValid: false } ? 1 : 0;
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
    /// Bakery's own settings (the sidecar <c>NAME.bakery.json</c>), after what Packer prints, so the output of a build
    /// file without one stays exactly Packer's: <c>bakery-setting,KEY,VALUE</c> lines, or the sidecar's problems.
    /// </summary>
    internal static void WriteSettings(string? sidecar, BakerySettingsResult? settings, Action<string, string[]> emit)
    {
        if (sidecar is null || settings is null)
        {
            return;
        }

        void Say(string text) => emit("ui", ["say", text]);
        Say($"\nBakery settings ({Path.GetFileName(sidecar)}):\n");
        if (!settings.IsValid)
        {
            foreach (var problem in settings.Errors)
            {
                emit("ui", ["error", problem.ToString()]);
                Say("  " + problem);
            }

            return;
        }

        if (settings.Settings!.IsEmpty)
        {
            Say("  <No settings>");
            return;
        }

        if (settings.Settings.PublishParameter is { } publish)
        {
            emit("bakery-setting", ["publish_parameter.name", publish.Name]);
            Say($"  publish_parameter.name = {publish.Name}");
            Say("    (the AMI id, in every region it lands in: the build region and ami_regions)");
        }

        if (settings.Settings.Capacity is { } capacity)
        {
            var types = string.Join(",", capacity.FallbackInstanceTypes);
            var onDemand = capacity.OnDemandFallback ? "true" : "false";
            emit("bakery-setting", ["capacity.fallback_instance_types", types]);
            emit("bakery-setting", ["capacity.on_demand_fallback", onDemand]);
            Say($"  capacity.fallback_instance_types = [{string.Join(", ", capacity.FallbackInstanceTypes)}]");
            Say($"  capacity.on_demand_fallback = {onDemand}");
            Say("    (tried in order after the build file's instance type(s) when EC2 has no capacity; spot first when spot_price is set)");
        }

        if (settings.Settings.Lifecycle is { } lifecycle)
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
        }

        if (settings.Settings.TestImage is { } test)
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
        }
    }
}
