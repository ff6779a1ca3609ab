using System.CommandLine;
using Bakery.Cli.Commands;
using Bakery.Testing;

namespace Bakery.EndToEnd.Tests.Cli;

/// <summary>
/// Runs <c>bakery validate</c> / <c>bakery inspect</c> in-process and checks output and exit codes. Relative paths in a
/// build file start from the folder bakery runs in, as in Packer, so each run sets the process's working folder as a
/// shell would: these tests run alone (<see cref="WorkingFolderCollection"/>).
/// </summary>
[Collection(WorkingFolderCollection.Name)]
public sealed class ValidateAndInspectCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bakery-cli-").FullName;

    private static readonly string NginxFolder = RepositoryPaths.Combine("examples", "nginx");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (int Code, string Output, string Error) Run(params string[] args) => RunIn(_folder, args);

    private static (int Code, string Output, string Error) RunIn(string folder, params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        var output = new StringWriter();
        var error = new StringWriter();
        var previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = folder;
        try
        {
            var code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Validate_and_inspect_read_a_folder_of_pkr_hcl_and_pkr_json_files_as_one_template()
    {
        Write("variables.pkr.hcl", "variable \"region\" {\n  default = \"eu-west-1\"\n}\n");
        Write("sources.pkr.json", """
            { "source": { "amazon-ebs": { "web": {
                "region": "${var.region}", "source_ami": "ami-12345678", "instance_type": "t3.micro", "ami_name": "web-{{timestamp}}" } } } }
            """);
        Write("build.pkr.json", """{ "build": { "sources": ["source.amazon-ebs.web"] } }""");

        var (code, output, error) = Run("validate", _folder);
        var (inspectCode, inspect, _) = Run("inspect", _folder);

        Assert.True(code == 0, output + error);
        Assert.Equal(0, inspectCode);
        Assert.Contains("amazon-ebs.web", inspect, StringComparison.Ordinal);
        Assert.Contains("eu-west-1", inspect, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_accepts_the_nginx_example_with_one_ssh_warning_on_stderr()
    {
        // As the seed runs `packer validate my_test_build.json`: from the build file's folder.
        var (code, output, error) = RunIn(NginxFolder, "validate", "my_test_build.json");
        Assert.Equal(0, code);
        Assert.Equal(ValidateCommand.ValidMessage, output.Trim());
        var warning = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("ssh_username", warning, StringComparison.Ordinal);
        Assert.Contains("SSM Run Command", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_refuses_a_script_that_is_a_symbolic_link_out_of_the_build_folder_naming_file_link_and_fix()
    {
        // Links do not live in git: made here, at run time.
        File.CreateSymbolicLink(Path.Combine(_folder, "setup.sh"), "/etc/passwd");
        var path = Write("linked.json", """
            {
              "builders": [{"type": "amazon-ebs", "region": "us-east-1", "source_ami": "ami-12345678", "instance_type": "t3.micro", "ami_name": "x-{{timestamp}}"}],
              "provisioners": [{"type": "shell", "script": "setup.sh"}]
            }
            """);

        var (code, output, _) = RunIn(_folder, "validate", path);

        Assert.Equal(1, code);
        Assert.Contains("linked.json:3:", output, StringComparison.Ordinal);
        Assert.Contains("provisioners[0].script: \"setup.sh\" is a symbolic link to /etc/passwd", output, StringComparison.Ordinal);
        Assert.Contains("Copy what you need into the build's folder", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_from_another_folder_looks_for_scripts_there_as_packer_does_and_names_the_template_dir_fix()
    {
        // Packer 1.6.6 run from the repository root: "Bad script 'packer_provision.sh': stat packer_provision.sh: no such
        // file or directory" (tests/Bakery.Conformance.Tests case relative_to_working_folder compares the verdicts).
        var (code, output, _) = RunIn(RepositoryPaths.Root, "validate", Path.Combine("examples", "nginx", "my_test_build.json"));

        Assert.Equal(1, code);
        Assert.Contains("provisioners[0].script: file not found: \"packer_provision.sh\"", output, StringComparison.Ordinal);
        Assert.Contains($"relative paths start from the folder bakery runs in ({RepositoryPaths.Root})", output, StringComparison.Ordinal);
        Assert.Contains("write \"{{template_dir}}/packer_provision.sh\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_prints_every_problem_with_location_and_suggestion_and_exits_1()
    {
        var path = Write("bad.json", """
            {
              "builders": [{
                "type": "amazon-ebs",
                "region": "us-east-1",
                "source_ami": "ami-1",
                "instance_typ": "t3.micro",
                "ami_name": "x"
              }]
            }
            """);
        var (code, output, _) = Run("validate", path);
        Assert.Equal(1, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains($"{path}:6:5: builders[0].instance_typ: unknown key \"instance_typ\" (did you mean instance_type?)", lines);
        Assert.Contains(lines, l => l.StartsWith($"{path}:7:17: builders[0].ami_name: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("builders[0].instance_type: instance_type is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_takes_var_var_file_only_and_except_like_packer()
    {
        var path = Write("vars.json", """
            {"variables": {"region": null, "size": "t3.micro"},
             "builders": [
               {"type": "amazon-ebs", "name": "a", "region": "{{user `region`}}", "source_ami": "ami-1", "instance_type": "{{user `size`}}", "ami_name": "a-{{timestamp}}"},
               {"type": "amazon-ebs", "name": "b", "region": "{{user `region`}}", "source_ami": "ami-1", "instance_type": "{{user `size`}}", "ami_name": "b-{{timestamp}}"}
             ]}
            """);
        var varFile = Write("values.json", "{\"size\": \"m5.large\"}");
        Assert.Equal(1, Run("validate", path).Code);
        Assert.Equal(0, Run("validate", "-var", "region=us-east-1", "-var-file", varFile, "-only", "a,b", path).Code);
        Assert.Equal(0, Run("validate", "-var", "region=us-east-1", "-except", "b", path).Code);
        // Packer 1.6.6 exits 0 for `-only c` (it selects nothing and says nothing); Bakery warns.
        var (code, _, error) = Run("validate", "-var", "region=us-east-1", "-only", "c", path);
        Assert.Equal(0, code);
        Assert.Contains("-only: no builder is named \"c\"", error, StringComparison.Ordinal);
        Assert.Equal(1, Run("validate", "-var", "novalue", path).Code);
    }

    [Fact]
    public void Validate_refuses_a_build_file_named_like_a_settings_sidecar_which_an_upload_would_never_bake()
    {
        var path = Write("web.bakery.json", """
            {"builders": [{"type": "amazon-ebs", "region": "us-east-1", "source_ami": "ami-1", "instance_type": "t3.micro", "ami_name": "web-{{timestamp}}"}]}
            """);

        var (code, _, error) = Run("validate", path);

        Assert.Equal(1, code);
        Assert.Contains("is Bakery's settings for web.json beside it, not a build file; rename the build file", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_reports_a_missing_file()
    {
        var (code, _, error) = Run("validate", Path.Combine(_folder, "nope.json"));
        Assert.Equal(1, code);
        Assert.Contains("file not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_says_what_packer_inspect_says_with_sensitive_defaults_masked()
    {
        var path = Write("inspect.json", """
            {"description": "web image",
             "variables": {"region": null, "password": "hunter22", "size": "t3.micro"},
             "sensitive-variables": ["password"],
             "builders": [{"type": "amazon-ebs", "name": "web", "region": "{{user `region`}}"}],
             "provisioners": [{"type": "shell", "inline": ["true"]}, {"type": "file"}],
             "post-processors": ["manifest"]}
            """);
        var (code, output, _) = Run("inspect", path);
        Assert.Equal(0, code);
        // Packer 1.6.6's `packer inspect` of the same file, word for word (it lists no post-processors).
        Assert.Equal("""
            Packer Inspect: JSON mode
            Description:

            web image

            Required variables:

              region

            Optional variables and their defaults:

              password = <sensitive>
              size     = t3.micro

            Builders:

              web        (amazon-ebs)

            Provisioners:

              shell
              file

            Note: If your build names contain user variables or template
            functions such as 'timestamp', these are processed at build time,
            and therefore only show in their raw form here.

            """.ReplaceLineEndings("\n"), output.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("hunter22", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_machine_readable_writes_packers_lines()
    {
        // Packer 1.6.6's `packer inspect -machine-readable` of the same file, timestamps aside; the EKS AMI Makefile reads
        // the template-variable lines.
        var path = Write("inspect-mr.json", """
            {"description": "My, desc", "variables": {"region": "us-east-1", "req": null, "secret": "s", "empty": ""},
             "sensitive-variables": ["secret"],
             "builders": [{"type": "amazon-ebs", "name": "one"}, {"type": "amazon-ebs"}],
             "provisioners": [{"type": "shell", "inline": ["a"]}]}
            """);
        var (code, output, _) = Run("inspect", "-machine-readable", path);
        Assert.Equal(0, code);
        var lines = output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Select(line => line[(line.IndexOf(',', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(
        [
            ",ui,say,Packer Inspect: JSON mode", ",ui,say,Description:\\n", ",ui,say,My%!(PACKER_COMMA) desc\\n",
            ",ui,say,Required variables:\\n", ",template-variable,req,,1", ",ui,say,  req", ",ui,say,",
            ",ui,say,Optional variables and their defaults:\\n", ",template-variable,empty,,0", ",ui,say,  empty  = ",
            ",template-variable,region,us-east-1,0", ",ui,say,  region = us-east-1", ",template-variable,secret,<sensitive>,0",
            ",ui,say,  secret = <sensitive>", ",ui,say,", ",ui,say,Builders:\\n", ",template-builder,amazon-ebs,amazon-ebs",
            ",ui,say,  amazon-ebs", ",template-builder,one,amazon-ebs", ",ui,say,  one        (amazon-ebs)", ",ui,say,",
            ",ui,say,Provisioners:\\n", ",template-provisioner,shell", ",ui,say,  shell",
            ",ui,say,\\nNote: If your build names contain user variables or template\\nfunctions such as 'timestamp'%!(PACKER_COMMA) these are processed at build time%!(PACKER_COMMA)\\nand therefore only show in their raw form here.",
        ], lines);
    }

    [Fact]
    public void Inspect_of_malformed_json_prints_the_problem_and_exits_1()
    {
        var path = Write("broken.json", "{\"builders\": [,]}");
        var (code, output, _) = Run("inspect", path);
        Assert.Equal(1, code);
        Assert.StartsWith($"{path}:1:15: ", output, StringComparison.Ordinal);
    }
}
