using System.Globalization;
using System.Text.RegularExpressions;
using Bakery.BuildFiles.Model;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// Builds the AWS-RunShellScript commands for one <c>shell</c> provisioner the way Packer runs it over SSH: each
/// script written to remote_folder/remote_file, execute_command with <c>{{.Vars}}</c> and <c>{{.Path}}</c>
/// rendered, valid_exit_codes checked after each script, the script removed unless skip_clean.
/// </summary>
internal static partial class ShellCommands
{
    /// <summary>The <c>{{.Vars}}</c> text: Packer's <c>KEY='value' </c> per variable, sorted by name, quotes escaped.</summary>
    public static string FlattenVars(string builderName, string builderType, IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        var vars = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["PACKER_BUILD_NAME"] = builderName,
            ["PACKER_BUILDER_TYPE"] = builderType,
        };
        foreach (var (key, value) in environment)
        {
            vars[key] = value;
        }

        return string.Concat(vars.Select(pair => $"{pair.Key}={ShellQuoting.Sh(pair.Value)} "));
    }

    /// <summary>Packer's default remote file name is <c>script_N.sh</c> with a random N; ours is stable per build.</summary>
    public static string RemotePath(ShellProvisioner provisioner, int seed) =>
        $"{provisioner.RemoteFolder.TrimEnd('/')}/{provisioner.RemoteFile ?? $"script_{seed % 9999}.sh"}";

    public static string InlineScript(ShellProvisioner provisioner) =>
        $"#!{provisioner.InlineShebang}\n" + string.Concat(provisioner.Inline.Select(line => line + "\n"));

    /// <summary>
    /// Fills <c>{{.Vars}}</c> and <c>{{.Path}}</c> in one pass, as Go's text/template does: a value that itself reads
    /// <c>{{.Path}}</c> is inserted as written, never rendered again.
    /// </summary>
    public static string RenderExecuteCommand(string executeCommand, string vars, string path) =>
        ExecuteCommandField().Replace(executeCommand, field => field.Groups["name"].Value == "Vars" ? vars : path);

    /// <param name="scripts">One payload per script to run, in order (the inline script first when there is one).</param>
    /// <remarks>
    /// Every payload is fetched before the first script runs: a presigned URL is good only while the credentials that
    /// signed it last, so script N must not wait for scripts 1..N-1 (hours of them) before its download. Each payload
    /// lands in a private temporary file, then goes to its remote path just before it runs (remote_file may name one
    /// path for all scripts).
    /// </remarks>
    public static List<string> Build(ShellProvisioner provisioner, string builderName, string builderType, IReadOnlyList<ScriptPayload> scripts, int seed)
    {
        var vars = FlattenVars(builderName, builderType, provisioner.EnvironmentVars);
        var valid = string.Join(' ', provisioner.ValidExitCodes.Select(code => code.ToString(CultureInfo.InvariantCulture)));
        var commands = new List<string>(ShellQuoting.FetchFunction);
        var payloads = Enumerable.Range(1, scripts.Count).Select(n => $"\"$bakery_payload_{n}\"").ToList();
        if (scripts.Count > 0)
        {
            commands.Add($"trap 'rm -f {string.Join(' ', payloads)}' EXIT");
        }

        for (var i = 0; i < scripts.Count; i++)
        {
            commands.Add($"bakery_payload_{i + 1}=$(mktemp) || exit 97");
            commands.AddRange(ShellQuoting.WriteSh(scripts[i], payloads[i]));
        }

        for (var i = 0; i < scripts.Count; i++)
        {
            var path = provisioner.RemoteFile is null && scripts.Count > 1
                ? RemotePath(provisioner, seed + i)
                : RemotePath(provisioner, seed);
            var quoted = ShellQuoting.Sh(path);
            commands.Add($"mkdir -p {ShellQuoting.Sh(provisioner.RemoteFolder)}");
            commands.Add($"cp {payloads[i]} {quoted} || exit 97");
            commands.Add($"chmod 0755 {quoted}");
            commands.Add(RenderExecuteCommand(provisioner.ExecuteCommand, vars, path));
            commands.Add("bakery_rc=$?");
            if (!provisioner.SkipClean)
            {
                commands.Add($"rm -f {quoted}");
            }

            // A code in valid_exit_codes lets the next script run; anything else ends the command with that code.
            commands.Add($"case \" {valid} \" in *\" $bakery_rc \"*) ;; *) echo \"script {i + 1} of {scripts.Count} exited with $bakery_rc\" >&2; exit $bakery_rc ;; esac");
        }

        commands.Add("exit 0");
        return commands;
    }

    [GeneratedRegex(@"\{\{-?\s*\.(?<name>Vars|Path)\s*-?\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex ExecuteCommandField();
}
