using Bakery.BuildFiles.Model;
using Bakery.Hcl;

namespace Bakery.BuildFiles.Internal;

/// <summary>Binds one entry of <c>provisioners</c> (shell, file, powershell), reporting every problem it finds.</summary>
internal static class ProvisionerBinder
{
    private static readonly string[] Types = ["shell", "file", "powershell"];

    private static readonly string[] OtherPackerTypes =
        ["shell-local", "ansible", "ansible-local", "chef-solo", "chef-client", "puppet-masterless", "puppet-server", "salt-masterless", "windows-restart", "windows-shell", "breakpoint", "inspec", "converge"];

    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["override"] = "per-builder overrides are not implemented; use only/except",
        ["binary"] = "scripts are always sent as text",
        ["use_env_var_file"] = "environment variables are always passed inline",
        ["env_var_format"] = "environment variables are always passed inline",
        ["execution_policy"] = "not yet implemented",
        ["generated"] = "not yet implemented",
        ["max_retries_aws"] = "not yet implemented",
    };

    public static string? PeekType(JsonNode node) => BuilderBinder.PeekType(node);

    /// <summary>
    /// Binds for one build (so <c>{{build_name}}</c> renders per builder); null when something is wrong. With
    /// <paramref name="ignoreOnlyExcept"/> (the legacy JSON <c>error-cleanup-provisioner</c>) only/except are read and
    /// dropped: packer 1.6.6 neither checks their names nor applies them to it.
    /// </summary>
    public static Provisioner? Bind(JsonNode node, int index, BindingScope scope, IReadOnlyCollection<string> builderNames, bool ignoreOnlyExcept = false)
    {
        var bag = scope.Bag;
        var errorsBefore = bag.ErrorCount;
        if (ObjectReader.OpenDefinition(node, scope, "a provisioner must be an object", out var type) is not { } reader)
        {
            return null;
        }

        Provisioner? provisioner = type switch
        {
            "shell" => BindShell(reader),
            "file" => BindFile(reader),
            "powershell" => BindPowerShell(reader),
            _ => null,
        };
        if (provisioner is null)
        {
            var suggestion = Suggestions.Closest(type, Types);
            var note = OtherPackerTypes.Contains(type) ? " (Packer has it, Bakery does not)" : "";
            bag.Error(reader.Take("type")!, $"unknown provisioner type \"{type}\"{note}: Bakery supports shell, file and powershell", suggestion);
            return null;
        }

        IReadOnlyList<string> only, except;
        if (ignoreOnlyExcept)
        {
            _ = reader.StringList("only");
            _ = reader.StringList("except");
            only = except = [];
        }
        else
        {
            only = BuildNames(reader, "only", builderNames);
            except = BuildNames(reader, "except", builderNames);
        }

        if (only.Count > 0 && except.Count > 0)
        {
            bag.Error(reader.Take("except")!, "only one of only or except can be specified");
        }

        provisioner = provisioner with
        {
            Index = index,
            Only = only,
            Except = except,
            PauseBeforeSeconds = reader.DurationSeconds("pause_before") ?? 0,
            // Packer 1.6.6 has pause_after on shell only (powershell and file refuse it as an unknown key).
            PauseAfterSeconds = type == "shell" ? reader.DurationSeconds("pause_after") ?? 0 : 0,
            MaxRetries = reader.Int("max_retries", 0, 100) ?? 0,
            TimeoutSeconds = reader.DurationSeconds("timeout"),
        };
        reader.Finish(ignoreUnderscoreKeys: true, Unsupported);
        return bag.ErrorCount == errorsBefore ? provisioner : null;
    }

    /// <summary>A provisioner's or post-processor's <c>only</c>/<c>except</c>: each name must be a builder of this file.</summary>
    public static IReadOnlyList<string> BuildNames(ObjectReader reader, string key, IReadOnlyCollection<string> builderNames)
    {
        var names = reader.StringList(key) ?? [];
        // A loop, not Where: its closure over builderNames was allocated twice per provisioner, with or without names.
        foreach (var name in names)
        {
            if (!builderNames.Contains(name))
            {
                reader.Scope.Bag.Error(reader.Take(key)!, $"{key} names builder \"{name}\", but no builder has that name",
                    Suggestions.Closest(name, builderNames));
            }
        }

        return names;
    }

    private static ShellProvisioner BindShell(ObjectReader reader)
    {
        var (inline, scripts) = BindScripts(reader);
        var environment = BindEnvironmentVars(reader);
        if (reader.StringMap("env") is { } env)
        {
            foreach (var (key, value) in env)
            {
                if (!IsEnvironmentName(key))
                {
                    reader.Scope.Bag.Error(reader.Take("env")!, $"env: \"{key}\" is not a valid environment variable name");
                }

                environment.Add(new KeyValuePair<string, string>(key, value));
            }
        }

        var defaults = new ShellProvisioner();
        var remoteFolder = RemotePathField(reader, "remote_folder") ?? defaults.RemoteFolder;
        var remoteFile = RemotePathField(reader, "remote_file") ?? RemotePathField(reader, "remote_path");
        return new ShellProvisioner
        {
            Inline = inline,
            Scripts = scripts,
            EnvironmentVars = environment,
            // {{.Path}} and {{.Vars}} stay as template text: the Provision step fills them in.
            ExecuteCommand = reader.String("execute_command") ?? defaults.ExecuteCommand,
            InlineShebang = reader.String("inline_shebang") ?? defaults.InlineShebang,
            RemoteFolder = remoteFolder,
            RemoteFile = remoteFile,
            ExpectDisconnect = reader.Bool("expect_disconnect") ?? false,
            ValidExitCodes = BindExitCodes(reader),
            SkipClean = reader.Bool("skip_clean") ?? false,
        };
    }

    /// <summary>
    /// remote_folder / remote_file end up in execute_command's <c>{{.Path}}</c>, which Packer (and so the user's own
    /// execute_command) leaves unquoted: only characters that mean nothing to a shell are allowed there.
    /// </summary>
    private static string? RemotePathField(ObjectReader reader, string key)
    {
        var value = reader.String(key);
        if (value is not null && (value.Length == 0 || !value.All(IsPlainPathCharacter)))
        {
            reader.Scope.Bag.Error(reader.Take(key)!,
                $"{key}: \"{value}\" may only hold letters, digits and / . _ - + @ % = , : ~ (it is put into the command line unquoted)");
        }

        return value;
    }

    private static bool IsPlainPathCharacter(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or '@' or '%' or '=' or ',' or ':' or '~';

    private static PowerShellProvisioner BindPowerShell(ObjectReader reader)
    {
        var (inline, scripts) = BindScripts(reader);
        reader.Accept("remote_path", "skip_clean");
        return new PowerShellProvisioner
        {
            Inline = inline,
            Scripts = scripts,
            EnvironmentVars = BindEnvironmentVars(reader),
            ExecuteCommand = reader.String("execute_command"),
            ValidExitCodes = BindExitCodes(reader),
        };
    }

    private static FileProvisioner BindFile(ObjectReader reader)
    {
        var bag = reader.Scope.Bag;
        var direction = reader.String("direction") ?? "upload";
        if (direction is not ("upload" or "download"))
        {
            bag.Error(reader.Take("direction")!, $"direction must be \"upload\" or \"download\", not \"{direction}\"",
                Suggestions.Closest(direction, ["upload", "download"]));
        }

        var source = reader.String("source");
        var sourceList = reader.StringList("sources");
        var content = reader.String("content");
        var destination = reader.String("destination", required: true) ?? "";
        var given = (source is null ? 0 : 1) + (sourceList is null ? 0 : 1) + (content is null ? 0 : 1);
        if (given == 0)
        {
            reader.Missing("source", "one of source, sources or content is required");
        }
        else if (given > 1)
        {
            bag.Error(reader.Node, "only one of source, sources or content can be specified");
        }

        if (content is not null && direction == "download")
        {
            bag.Error(reader.Take("content")!, "content can only be uploaded (direction \"upload\")");
        }

        var sources = new List<ScriptSource>();
        var anyDirectory = false;
        var written = source is not null ? [(source, reader.Take("source")!)]
            : sourceList?.Select((s, i) => (s, ItemNode(reader.Take("sources")!, i))).ToList() ?? [];
        foreach (var (path, node) in written)
        {
            if (direction == "download")
            {
                sources.Add(new ScriptSource(path, ""));
                continue;
            }

            var bundlePath = FileReferences.Require(path, node, reader.Scope, allowDirectory: true, out var kind);
            if (bundlePath is not null)
            {
                anyDirectory |= kind == BundleEntryKind.Directory;
                sources.Add(new ScriptSource(path, bundlePath));
            }
        }

        reader.Accept("generated");
        return new FileProvisioner
        {
            Sources = sources,
            Content = content,
            Destination = destination,
            Direction = direction,
            SourceIsDirectory = anyDirectory,
        };
    }

    private static (IReadOnlyList<string> Inline, IReadOnlyList<ScriptSource> Scripts) BindScripts(ObjectReader reader)
    {
        var bag = reader.Scope.Bag;
        var inline = reader.StringList("inline");
        var script = reader.String("script");
        var scriptList = reader.StringList("scripts");
        var given = (inline is null ? 0 : 1) + (script is null ? 0 : 1) + (scriptList is null ? 0 : 1);
        if (given == 0)
        {
            reader.Missing("inline", "one of inline, script or scripts is required");
        }
        else if (given > 1)
        {
            var second = new[] { "inline", "script", "scripts" }.Where(reader.Has).ElementAt(1);
            bag.Error(reader.Take(second)!, "only one of inline, script or scripts can be specified");
        }

        if (reader.Take("inline") is JsonNode inlineNode && inline is { Count: 0 })
        {
            bag.Error(inlineNode, "inline must hold at least one command");
        }

        var scripts = new List<ScriptSource>();
        var written = script is not null ? [(script, reader.Take("script")!)]
            : scriptList?.Select((s, i) => (s, ItemNode(reader.Take("scripts")!, i))).ToList() ?? [];
        foreach (var (path, node) in written)
        {
            if (FileReferences.RequireFile(path, node, reader.Scope) is { } bundlePath)
            {
                scripts.Add(new ScriptSource(path, bundlePath));
            }
        }

        return (inline ?? [], scripts);
    }

    private static List<KeyValuePair<string, string>> BindEnvironmentVars(ObjectReader reader)
    {
        var node = reader.Take("environment_vars");
        var values = node is null ? null : reader.AsStringList(node);
        // Sized for what it will hold (the model keeps this list): env adds to it only in the rare template that has both.
        var result = new List<KeyValuePair<string, string>>(values?.Count ?? 0);
        if (values is null)
        {
            return result;
        }

        for (var i = 0; i < values.Count; i++)
        {
            var item = ItemNode(node!, i);
            var equals = values[i].IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                reader.Scope.Bag.Error(item, $"environment variable not in format KEY=VALUE: \"{values[i]}\"");
                continue;
            }

            var key = values[i][..equals];
            if (!IsEnvironmentName(key))
            {
                reader.Scope.Bag.Error(item, $"\"{key}\" is not a valid environment variable name (letters, digits and _, not starting with a digit)");
                continue;
            }

            result.Add(new KeyValuePair<string, string>(key, values[i][(equals + 1)..]));
        }

        return result;
    }

    private static IReadOnlyList<int> BindExitCodes(ObjectReader reader)
    {
        var node = reader.Take("valid_exit_codes");
        if (node is null)
        {
            return [0];
        }

        IReadOnlyList<JsonNode> items = node is JsonArrayNode array ? array.Items : [node];
        var codes = new List<int>();
        foreach (var item in items)
        {
            // Any whole number, as in Packer (a Go int): Windows installers exit with codes like 3010 or 2300218, and SSM
            // reports a 32-bit exit code, so a number beyond that can never match and only earns a warning.
            if (item is JsonScalarNode { Kind: JsonScalarKind.Number } number
                && long.TryParse(number.Text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var wide)
                && wide is < int.MinValue or > int.MaxValue)
            {
                reader.Scope.Bag.Warning(item.Position, item.Path, $"valid_exit_codes: {wide} can never be an exit code (they are 32-bit numbers); it is ignored");
                continue;
            }

            if (reader.AsInt(item) is { } code)
            {
                codes.Add(code);
            }
        }

        return codes;
    }

    private static JsonNode ItemNode(JsonNode listNode, int index) =>
        listNode is JsonArrayNode array && index < array.Items.Length ? array.Items[index] : listNode;

    private static bool IsEnvironmentName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
