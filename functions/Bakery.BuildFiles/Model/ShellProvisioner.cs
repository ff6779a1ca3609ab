namespace Bakery.BuildFiles.Model;

/// <summary>Packer's <c>shell</c> provisioner, run through SSM's <c>AWS-RunShellScript</c>.</summary>
public sealed record ShellProvisioner : Provisioner
{
    [System.Text.Json.Serialization.JsonIgnore]
    public override string Type => "shell";
    public IReadOnlyList<string> Inline { get; set; } = [];
    /// <summary><c>script</c> and <c>scripts</c>, in order.</summary>
    public IReadOnlyList<ScriptSource> Scripts { get; set; } = [];
    /// <summary><c>environment_vars</c> ("K=V") followed by <c>env</c>, as ordered pairs.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> EnvironmentVars { get; set; } = [];
    /// <summary>Still holds <c>{{ .Vars }}</c> and <c>{{ .Path }}</c>; rendered on the instance side by the Provision step.</summary>
    public string ExecuteCommand { get; set; } = "chmod +x {{.Path}}; {{.Vars}} {{.Path}}";
    public string InlineShebang { get; set; } = "/bin/sh -e";
    public string RemoteFolder { get; set; } = "/tmp";
    public string? RemoteFile { get; init; }
    public bool ExpectDisconnect { get; init; }
    public IReadOnlyList<int> ValidExitCodes { get; set; } = [0];
    public bool SkipClean { get; init; }
}
