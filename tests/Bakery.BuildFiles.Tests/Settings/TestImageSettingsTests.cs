using System.Text;
using Bakery.BuildFiles.Model;
using Bakery.BuildFiles.Settings;

namespace Bakery.BuildFiles.Tests.Settings;

/// <summary>
/// test_image in Bakery's settings: the provisioners are a build file's (the same binder, the same messages), scripts are
/// found beside the build file, and every refusal names the file, the place and the fix.
/// </summary>
public sealed class TestImageSettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bakery-test-image-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string BuildFile => Path.Combine(_folder, "web.json");

    private BakerySettingsResult Load(string json) =>
        BakerySettingsLoader.Load("web.bakery.json", Encoding.UTF8.GetBytes(json), new SettingsFiles(new LocalBundleFiles(), BuildFile));

    private string OnlyError(string json)
    {
        var result = Load(json);
        Assert.False(result.IsValid);
        return Assert.Single(result.Errors).ToString();
    }

    [Fact]
    public void Shell_and_powershell_tests_inline_and_by_script_are_read_as_a_build_files_provisioners()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "tests"));
        File.WriteAllText(Path.Combine(_folder, "tests", "check.sh"), "nginx -t\n");
        var result = Load("""
            {"test_image": {
              "provisioners": [
                {"type": "shell", "inline": ["nginx -v"], "valid_exit_codes": [0, 2], "timeout": "5m"},
                {"type": "shell", "scripts": ["tests/check.sh"], "environment_vars": ["SITE=default"]},
                {"type": "powershell", "inline": ["Get-Service"]}
              ],
              "on_failure": "tag",
              "instance_type": "t3.small"
            }}
            """);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var test = result.Settings!.TestImage!;
        Assert.Equal(TestFailureActions.Tag, test.OnFailure);
        Assert.Equal("t3.small", test.InstanceType);
        var inline = Assert.IsType<ShellProvisioner>(test.Provisioners[0]);
        Assert.Equal(["nginx -v"], inline.Inline);
        Assert.Equal([0, 2], inline.ValidExitCodes);
        Assert.Equal(300, inline.TimeoutSeconds);
        var script = Assert.IsType<ShellProvisioner>(test.Provisioners[1]);
        Assert.Equal("tests/check.sh", Assert.Single(script.Scripts).AsWritten);
        Assert.EndsWith("tests/check.sh", script.Scripts[0].BundlePath, StringComparison.Ordinal);
        Assert.Equal(1, script.Index);
        Assert.IsType<PowerShellProvisioner>(test.Provisioners[2]);
    }

    [Fact]
    public void On_failure_defaults_to_deregister_and_the_instance_type_to_the_builders()
    {
        var test = Load("""{"test_image": {"provisioners": [{"type": "shell", "inline": ["true"]}]}}""").Settings!.TestImage!;

        Assert.Equal(TestFailureActions.Deregister, test.OnFailure);
        Assert.Null(test.InstanceType);
    }

    [Fact]
    public void A_missing_script_is_refused_where_it_is_named_with_the_path_looked_at()
    {
        var error = OnlyError("""{"test_image": {"provisioners": [{"type": "shell", "script": "tests/missing.sh"}]}}""");

        Assert.StartsWith("web.bakery.json:1:", error, StringComparison.Ordinal);
        Assert.Contains("test_image.provisioners[0].script: file not found: \"tests/missing.sh\"", error, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_folder, "tests", "missing.sh"), error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_provisioner_is_refused_a_test_runs_commands()
    {
        var error = OnlyError("""{"test_image": {"provisioners": [{"type": "file", "source": "a", "destination": "/tmp/a"}]}}""");

        Assert.Contains("test_image.provisioners[0]: a test runs commands: provisioners[0] must be shell or powershell, not \"file\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_provisioner_key_gets_the_build_files_own_message()
    {
        var result = Load("""{"test_image": {"provisioners": [{"type": "shell", "inlne": ["true"]}]}}""");

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.ToString().Contains("test_image.provisioners[0].inlne", StringComparison.Ordinal)
            && e.ToString().Contains("did you mean inline?", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.ToString().Contains("one of inline, script or scripts is required", StringComparison.Ordinal));
    }

    [Fact]
    public void A_misspelt_on_failure_value_is_refused_with_the_two_choices_and_the_closest()
    {
        var error = OnlyError("""{"test_image": {"provisioners": [{"type": "shell", "inline": ["true"]}], "on_failure": "tags"}}""");

        Assert.Contains("test_image.on_failure: on_failure must be \"deregister\" (remove the image, the default) or \"tag\"", error, StringComparison.Ordinal);
        Assert.Contains("did you mean tag?", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_or_empty_provisioners_are_refused_with_an_example()
    {
        Assert.Contains("provisioners is required", OnlyError("""{"test_image": {}}"""), StringComparison.Ordinal);
        Assert.Contains("non-empty array", OnlyError("""{"test_image": {"provisioners": []}}"""), StringComparison.Ordinal);
        Assert.Contains("test_image must be an object", OnlyError("""{"test_image": "nginx -v"}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void A_console_inputs_test_image_replaces_the_sidecars()
    {
        var sidecar = Load("""{"test_image": {"provisioners": [{"type": "shell", "inline": ["a"]}]}, "publish_parameter": {"name": "/x"}}""").Settings!;
        var input = Load("""{"test_image": {"provisioners": [{"type": "shell", "inline": ["b"]}]}}""").Settings!;

        var merged = input.Over(sidecar);

        Assert.Equal(["b"], ((ShellProvisioner)merged.TestImage!.Provisioners[0]).Inline);
        Assert.Equal("/x", merged.PublishParameter!.Name);
    }
}
