using System.CommandLine;
using Bakery.BuildFiles;
using Bakery.Cli.Build;
using Bakery.Cli.Commands;

namespace Bakery.EndToEnd.Tests.Cli;

/// <summary><c>NAME.bakery.json</c> beside a local build file: validate checks it, inspect shows it, the bundle carries it.</summary>
public sealed class SidecarSettingsCommandTests : IDisposable
{
    private const string BuildFile = """
        {
          "builders": [{"type": "amazon-ebs", "name": "web", "region": "us-east-1", "source_ami": "ami-12345678", "instance_type": "t3.micro", "ami_name": "web-{{timestamp}}"}],
          "provisioners": [{"type": "shell", "inline": ["echo hi"]}]
        }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("bakery-sidecar-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Output) Run(params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        var output = new StringWriter();
        var code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() });
        return (code, output.ToString());
    }

    private string Write(string sidecar)
    {
        var path = Path.Combine(_folder, "web.json");
        File.WriteAllText(path, BuildFile);
        File.WriteAllText(Path.Combine(_folder, "web.bakery.json"), sidecar);
        return path;
    }

    [Fact]
    public void Validate_reports_a_sidecar_problem_with_its_file_place_and_suggestion()
    {
        var path = Write("{\n  \"publish_parameter\": {\"nmae\": \"/golden/web\"}\n}");

        var (code, output) = Run("validate", path);

        Assert.Equal(1, code);
        Assert.Contains($"{Path.Combine(_folder, "web.bakery.json")}:2:25: publish_parameter.nmae: unknown key \"nmae\"", output, StringComparison.Ordinal);
        Assert.Contains("(did you mean name?)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_accepts_a_good_sidecar()
    {
        var path = Write("""{"publish_parameter": {"name": "/golden/{{build_name}}/latest"}}""");

        var (code, output) = Run("validate", path);

        Assert.Equal(0, code);
        Assert.Equal(ValidateCommand.ValidMessage, output.Trim());
    }

    [Fact]
    public void Inspect_shows_the_settings_after_what_packer_prints_and_as_a_machine_readable_line()
    {
        var path = Write("""{"publish_parameter": {"name": "/golden/{{build_name}}/latest"}}""");

        var (code, output) = Run("inspect", path);
        var (_, machine) = Run("inspect", "-machine-readable", path);

        Assert.Equal(0, code);
        Assert.Contains("Bakery settings (web.bakery.json):", output, StringComparison.Ordinal);
        Assert.Contains("  publish_parameter.name = /golden/{{build_name}}/latest", output, StringComparison.Ordinal);
        Assert.True(output.IndexOf("Provisioners:", StringComparison.Ordinal) < output.IndexOf("Bakery settings", StringComparison.Ordinal));
        Assert.Contains(",bakery-setting,publish_parameter.name,/golden/{{build_name}}/latest", machine, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_shows_the_capacity_settings()
    {
        var path = Write("""{"capacity": {"fallback_instance_types": ["t3a.micro", "t2.micro"], "on_demand_fallback": true}}""");

        var (code, output) = Run("inspect", path);
        var (_, machine) = Run("inspect", "-machine-readable", path);

        Assert.Equal(0, code);
        Assert.Contains("  capacity.fallback_instance_types = [t3a.micro, t2.micro]", output, StringComparison.Ordinal);
        Assert.Contains("  capacity.on_demand_fallback = true", output, StringComparison.Ordinal);
        Assert.DoesNotContain("<No settings>", output, StringComparison.Ordinal);
        Assert.Contains(",bakery-setting,capacity.fallback_instance_types,t3a.micro%!(PACKER_COMMA)t2.micro", machine, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bundle_uploads_the_sidecar_beside_the_build_file_before_it()
    {
        var path = Write("""{"publish_parameter": {"name": "/golden/web"}}""");
        var input = new BuildFileInput { Path = path, Content = File.ReadAllBytes(path), Files = new LocalBundleFiles() };

        var bundle = BuildBundle.Create(path, [], input);

        Assert.Equal(["builds/web/web.bakery.json", "builds/web/web.json"], bundle.Files.Select(f => f.Key));
    }

    private string WriteHcl(string sidecar)
    {
        var path = Path.Combine(_folder, "web.json");
        File.WriteAllText(path, BuildFile);
        File.WriteAllText(Path.Combine(_folder, "web.bakery.hcl"), sidecar);
        return path;
    }

    [Fact]
    public void An_hcl_sidecar_is_validated_shown_and_uploaded_like_the_json_one()
    {
        var path = WriteHcl("# the same schema as web.bakery.json\npublish_parameter {\n  name = \"/golden/${lower(\"WEB\")}\"\n}\n");

        var (code, output) = Run("validate", path);
        var (_, machine) = Run("inspect", "-machine-readable", path);
        var bundle = BuildBundle.Create(path, [], new BuildFileInput { Path = path, Content = File.ReadAllBytes(path), Files = new LocalBundleFiles() });

        Assert.Equal(0, code);
        Assert.Equal(ValidateCommand.ValidMessage, output.Trim());
        Assert.Contains(",bakery-setting,publish_parameter.name,/golden/web", machine, StringComparison.Ordinal);
        Assert.Equal(["builds/web/web.bakery.hcl", "builds/web/web.json"], bundle.Files.Select(f => f.Key));
    }

    [Theory]
    [InlineData("publish_parameter {\n  nmae = \"/golden/web\"\n}\n", "web.bakery.hcl:2:3: publish_parameter.nmae: unknown key \"nmae\"", "(did you mean name?)")]
    [InlineData("capacity {\n  fallback_instance_types = [\"t3a.micro\", \"T2\"]\n}\n", "web.bakery.hcl:2:3: capacity.fallback_instance_types[1]: \"T2\" is not an EC2 instance type", "")]
    [InlineData("capacity {\n  on_demand_fallback = var.spot\n}\n", "web.bakery.hcl:2:24: capacity.on_demand_fallback:", "Bakery's settings have no variables")]
    [InlineData("capacity {}\ncapacity {}\n", "web.bakery.hcl:2:1: capacity: capacity is already set at line 1", "")]
    [InlineData("capacity {\n  on_demand_fallback = \n", "web.bakery.hcl:", "")]
    public void An_hcl_sidecar_problem_is_reported_at_its_file_line_and_column(string sidecar, string expected, string more)
    {
        var path = WriteHcl(sidecar);

        var (code, output) = Run("validate", path);

        Assert.Equal(1, code);
        Assert.Contains(Path.Combine(_folder, expected), output, StringComparison.Ordinal);
        Assert.Contains(more, output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_build_file_with_both_sidecars_is_refused()
    {
        var path = Write("{}");
        File.WriteAllText(Path.Combine(_folder, "web.bakery.hcl"), "");

        var (code, output) = Run("validate", path);

        Assert.Equal(1, code);
        Assert.Contains("are both Bakery's settings for one build file: keep one", output, StringComparison.Ordinal);
    }
}
