namespace Bakery.BuildFiles.Model;

/// <summary>Packer's <c>powershell</c> provisioner, run through SSM's <c>AWS-RunPowerShellScript</c>.</summary>
public sealed record PowerShellProvisioner : Provisioner
{
    [System.Text.Json.Serialization.JsonIgnore]
    public override string Type => "powershell";
    public IReadOnlyList<string> Inline { get; set; } = [];
    public IReadOnlyList<ScriptSource> Scripts { get; set; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> EnvironmentVars { get; set; } = [];
    public string? ExecuteCommand { get; init; }
    public IReadOnlyList<int> ValidExitCodes { get; set; } = [0];
}
