using Bakery.BuildFiles.Model;
using static Bakery.BuildFiles.Tests.BuildFiles.BuildFileTestKit;

namespace Bakery.BuildFiles.Tests.BuildFiles;

public class ProvisionerFieldTests
{
    private static T Bind<T>(string provisioner) where T : Provisioner =>
        Assert.IsType<T>(Assert.Single(AssertValid(Load(WithProvisioner(provisioner))).Definition!.Builds[0].Provisioners));

    [Fact]
    public void Shell_defaults_follow_packer()
    {
        var shell = Bind<ShellProvisioner>("{\"type\": \"shell\", \"inline\": [\"echo hi\"]}");
        Assert.Equal(["echo hi"], shell.Inline);
        Assert.Equal("chmod +x {{.Path}}; {{.Vars}} {{.Path}}", shell.ExecuteCommand);
        Assert.Equal("/bin/sh -e", shell.InlineShebang);
        Assert.Equal("/tmp", shell.RemoteFolder);
        Assert.Equal([0], shell.ValidExitCodes);
    }

    [Fact]
    public void Shell_every_field()
    {
        var shell = Bind<ShellProvisioner>("""
            {"type": "shell", "scripts": ["setup.sh", "../shared/common.sh"], "environment_vars": ["A=1", "B=x=y", "C="], "env": {"D": "4"},
             "execute_command": "sudo -E sh -c '{{ .Vars }} {{ .Path }}'", "inline_shebang": "/bin/bash -ex", "remote_folder": "/var/tmp",
             "remote_file": "run.sh", "expect_disconnect": true, "valid_exit_codes": [0, 2300], "pause_before": "1m30s", "max_retries": 3,
             "timeout": "10m", "skip_clean": true}
            """);
        Assert.Equal([new ScriptSource("setup.sh", "builds/web/setup.sh"), new ScriptSource("../shared/common.sh", "builds/shared/common.sh")], shell.Scripts);
        Assert.Equal([new("A", "1"), new("B", "x=y"), new("C", ""), new KeyValuePair<string, string>("D", "4")], shell.EnvironmentVars);
        Assert.Equal("sudo -E sh -c '{{ .Vars }} {{ .Path }}'", shell.ExecuteCommand);
        Assert.Equal(("/bin/bash -ex", "/var/tmp", "run.sh"), (shell.InlineShebang, shell.RemoteFolder, shell.RemoteFile));
        Assert.True(shell.ExpectDisconnect && shell.SkipClean);
        Assert.Equal([0, 2300], shell.ValidExitCodes);
        Assert.Equal((90, 3, 600), (shell.PauseBeforeSeconds, shell.MaxRetries, shell.TimeoutSeconds));
    }

    [Fact]
    public void Pause_after_on_shell_as_in_Packer()
    {
        // Packer 1.6.6: shell accepts "pause_after": "10s" and says `error decoding 'pause_after': time: invalid duration
        // "bogus"`; powershell and file say `unknown configuration key: '"pause_after"'`.
        Assert.Equal(75, Bind<ShellProvisioner>("{\"type\": \"shell\", \"inline\": [\"a\"], \"pause_after\": \"1m15s\"}").PauseAfterSeconds);
        AssertSingleError(Load(WithProvisioner("{\"type\": \"shell\", \"inline\": [\"a\"], \"pause_after\": \"bogus\"}")), "must be a duration");
        AssertSingleError(Load(WithProvisioner("{\"type\": \"powershell\", \"inline\": [\"a\"], \"pause_after\": \"10s\"}")), "unknown key \"pause_after\"");
        AssertSingleError(Load(WithProvisioner("{\"type\": \"file\", \"source\": \"setup.sh\", \"destination\": \"/x\", \"pause_after\": \"1m\"}")), "unknown key \"pause_after\"");
    }

    [Fact]
    public void Valid_exit_codes_above_255_are_accepted_as_in_Packer()
    {
        // Packer 1.6.6 validates "valid_exit_codes": [0, 2300218, 3010] on shell, [2300218] on powershell, "5" (weakly
        // decoded) and [-1, 99999999999] (exit 0 each).
        Assert.Equal([0, 2300218, 3010], Bind<ShellProvisioner>("{\"type\": \"shell\", \"inline\": [\"a\"], \"valid_exit_codes\": [0, 2300218, 3010]}").ValidExitCodes);
        Assert.Equal([2300218], Bind<PowerShellProvisioner>("{\"type\": \"powershell\", \"inline\": [\"a\"], \"valid_exit_codes\": [2300218]}").ValidExitCodes);
        Assert.Equal([5], Bind<ShellProvisioner>("{\"type\": \"shell\", \"inline\": [\"a\"], \"valid_exit_codes\": \"5\"}").ValidExitCodes);
        var wide = AssertValid(Load(WithProvisioner("{\"type\": \"shell\", \"inline\": [\"a\"], \"valid_exit_codes\": [-1, 99999999999]}")));
        Assert.Equal([-1], ((ShellProvisioner)wide.Definition!.Builds[0].Provisioners[0]).ValidExitCodes);
        Assert.Contains(wide.Warnings, w => w.Message.Contains("99999999999 can never be an exit code", StringComparison.Ordinal));
    }

    [Fact]
    public void Template_dir_paths_reach_sibling_folders_but_not_above_the_bundle()
    {
        var shell = Bind<ShellProvisioner>("{\"type\": \"shell\", \"script\": \"{{template_dir}}/../shared/common.sh\"}");
        Assert.Equal("builds/shared/common.sh", shell.Scripts[0].BundlePath);
        AssertSingleError(Load(WithProvisioner("{\"type\": \"shell\", \"script\": \"../../../etc/passwd\"}")), "outside the build's folder tree");
    }

    [Theory]
    [InlineData("{\"type\": \"shell\", \"inline\": [\"a\"], \"script\": \"setup.sh\"}", "only one of inline, script or scripts")]
    [InlineData("{\"type\": \"shell\"}", "one of inline, script or scripts is required")]
    [InlineData("{\"type\": \"shell\", \"inline\": []}", "at least one command")]
    [InlineData("{\"type\": \"shell\", \"script\": \"nope.sh\"}", "file not found")]
    [InlineData("{\"type\": \"shell\", \"inline\": [\"a\"], \"environment_vars\": [\"=x\"]}", "KEY=VALUE")]
    [InlineData("{\"type\": \"shell\", \"inline\": [\"a\"], \"env\": {\"A B\": \"x\"}}", "not a valid environment variable name")]
    [InlineData("{\"type\": \"shell\", \"inline\": [\"a\"], \"timeout\": \"soon\"}", "must be a duration")]
    [InlineData("{\"type\": \"shell\", \"inline\": [\"a\"], \"max_retries\": -1}", "between 0 and 100")]
    [InlineData("{\"type\": \"shell\", \"inline\": [\"a\"], \"only\": [\"x\"]}", "no builder has that name")]
    [InlineData("{\"type\": \"shell\", \"inline\": [\"a\"], \"override\": {}}", "not supported by Bakery")]
    [InlineData("{\"type\": \"file\", \"source\": \"setup.sh\", \"destination\": \"/x\", \"direction\": \"up\"}", "direction must be")]
    [InlineData("{\"type\": \"file\", \"destination\": \"/x\"}", "one of source, sources or content is required")]
    [InlineData("{\"type\": \"file\", \"content\": \"x\", \"destination\": \"/x\", \"direction\": \"download\"}", "can only be uploaded")]
    [InlineData("{\"type\": \"powershell\", \"inline\": [\"a\"], \"scripts\": [\"setup.sh\"]}", "only one of inline, script or scripts")]
    [InlineData("{\"type\": \"shell-local\", \"inline\": [\"a\"]}", "Packer has it, Bakery does not")]
    public void Shell_file_and_powershell_problems(string provisioner, string fragment) =>
        AssertSingleError(Load(WithProvisioner(provisioner)), fragment);

    [Fact]
    public void File_upload_of_a_file_a_folder_or_content_and_download()
    {
        var file = Bind<FileProvisioner>("{\"type\": \"file\", \"source\": \"setup.sh\", \"destination\": \"/tmp/setup.sh\"}");
        Assert.Equal(("upload", "/tmp/setup.sh", false), (file.Direction, file.Destination, file.SourceIsDirectory));
        Assert.Equal("builds/web/setup.sh", file.Sources[0].BundlePath);

        var folder = Bind<FileProvisioner>("{\"type\": \"file\", \"sources\": [\"files/\"], \"destination\": \"/etc/app\"}");
        Assert.True(folder.SourceIsDirectory);
        Assert.Equal("builds/web/files", folder.Sources[0].BundlePath);

        Assert.Equal("hello", Bind<FileProvisioner>("{\"type\": \"file\", \"content\": \"hello\", \"destination\": \"/x\"}").Content);

        var download = Bind<FileProvisioner>("{\"type\": \"file\", \"source\": \"/var/log/cloud-init.log\", \"destination\": \"logs/\", \"direction\": \"download\"}");
        Assert.Equal(new ScriptSource("/var/log/cloud-init.log", ""), download.Sources[0]);
    }

    [Fact]
    public void PowerShell_fields()
    {
        var ps = Bind<PowerShellProvisioner>("""
            {"type": "powershell", "inline": ["Write-Host hi"], "environment_vars": ["A=1"], "execute_command": "powershell -File {{.Path}}", "valid_exit_codes": [0, 3010]}
            """.Replace("3010", "10", StringComparison.Ordinal));
        Assert.Equal(["Write-Host hi"], ps.Inline);
        Assert.Equal([new KeyValuePair<string, string>("A", "1")], ps.EnvironmentVars);
        Assert.Equal("powershell -File {{.Path}}", ps.ExecuteCommand);
        Assert.Equal([0, 10], ps.ValidExitCodes);
    }

    [Fact]
    public void Only_and_except_pick_the_builds_a_provisioner_runs_in()
    {
        var json = "{\"builders\": [" + MinimalBuilder.TrimEnd('}', '\n', ' ') + ", \"name\": \"a\"}, " + MinimalBuilder.TrimEnd('}', '\n', ' ') + ", \"name\": \"b\"}],"
            + "\"provisioners\": [{\"type\": \"shell\", \"inline\": [\"for {{build_name}}\"], \"only\": [\"a\"]}, {\"type\": \"shell\", \"inline\": [\"all\"]},"
            + " {\"type\": \"shell\", \"inline\": [\"not b\"], \"except\": [\"b\"]}]}";
        var builds = AssertValid(Load(json)).Definition!.Builds;
        Assert.Equal(["for a", "all", "not b"], builds[0].Provisioners.Cast<ShellProvisioner>().Select(p => p.Inline[0]));
        Assert.Equal(["all"], builds[1].Provisioners.Cast<ShellProvisioner>().Select(p => p.Inline[0]));
        Assert.Equal([0, 1, 2], builds[0].Provisioners.Select(p => p.Index));
    }

    [Fact]
    public void Manifest_post_processor_in_all_three_shapes()
    {
        var json = WithBuilder(rest: """
            "post-processors": ["manifest", {"type": "manifest", "output": "out/manifest.json", "strip_path": true, "strip_time": true,
              "custom_data": {"who": "{{build_name}}"}}, [{"type": "manifest", "except": ["amazon-ebs"]}]]
            """);
        var postProcessors = AssertValid(Load(json)).Definition!.Builds[0].PostProcessors;
        Assert.Equal(2, postProcessors.Count);
        Assert.Equal("packer-manifest.json", postProcessors[0].Output);
        Assert.Equal(("out/manifest.json", true, true, "amazon-ebs"), (postProcessors[1].Output, postProcessors[1].StripPath, postProcessors[1].StripTime, postProcessors[1].CustomData["who"]));
        AssertSingleError(Load(WithBuilder(rest: "\"post-processors\": [\"checksum\"]")), "unknown post-processor type");
        AssertSingleError(Load(WithBuilder(rest: "\"post-processors\": [{\"type\": \"manifest\", \"outptu\": \"x\"}]")), "unknown key");
    }
}
