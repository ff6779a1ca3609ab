using System.Globalization;
using Bakery.BuildFiles.Model;

namespace Bakery.Core.Steps.Internal;

/// <summary>Builds the AWS-RunPowerShellScript commands for one <c>powershell</c> provisioner.</summary>
internal static class PowerShellCommands
{
    public static string EnvironmentStatements(string builderName, string builderType, IReadOnlyList<KeyValuePair<string, string>> environment)
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

        return string.Join("; ", vars.Select(pair => $"$env:{pair.Key} = {ShellQuoting.Ps(pair.Value)}"));
    }

    public static List<string> Build(PowerShellProvisioner provisioner, string builderName, string builderType, IReadOnlyList<ScriptPayload> scripts, int seed)
    {
        var env = EnvironmentStatements(builderName, builderType, provisioner.EnvironmentVars);
        var valid = string.Join(", ", provisioner.ValidExitCodes.Select(code => code.ToString(CultureInfo.InvariantCulture)));
        var commands = new List<string> { "$ProgressPreference = 'SilentlyContinue'", env };
        // Every script is fetched before the first one runs: a presigned URL lives only as long as the credentials that
        // signed it, so script N must not wait for scripts 1..N-1 before its download.
        for (var i = 0; i < scripts.Count; i++)
        {
            var quoted = ShellQuoting.Ps(ScriptPath(seed, i));
            commands.Add(scripts[i].Inline is { } content
                ? $"[IO.File]::WriteAllBytes({quoted}, [Convert]::FromBase64String('{Convert.ToBase64String(content.Span)}'))"
                : $"Invoke-WebRequest -UseBasicParsing -Uri {ShellQuoting.Ps(scripts[i].Url!)} -OutFile {quoted}");
        }

        for (var i = 0; i < scripts.Count; i++)
        {
            var path = ScriptPath(seed, i);
            var quoted = ShellQuoting.Ps(path);
            commands.Add("$global:LASTEXITCODE = 0");
            commands.Add(provisioner.ExecuteCommand is { } custom
                ? ShellCommands.RenderExecuteCommand(custom, env, path)
                : $"& {quoted}");
            commands.Add("$bakeryRc = $LASTEXITCODE; if ($null -eq $bakeryRc) { $bakeryRc = 0 }");
            commands.Add($"Remove-Item -Force -ErrorAction SilentlyContinue {quoted}");
            commands.Add($"if (@({valid}) -notcontains $bakeryRc) {{ Write-Error \"script {i + 1} of {scripts.Count} exited with $bakeryRc\"; exit $bakeryRc }}");
        }

        commands.Add("exit 0");
        return commands;
    }

    private static string ScriptPath(int seed, int index) => $"C:/Windows/Temp/script-{(seed + index) % 9999}.ps1";

    public static string InlineScript(PowerShellProvisioner provisioner) => string.Concat(provisioner.Inline.Select(line => line + "\r\n"));
}
