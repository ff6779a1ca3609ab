using System.Text;
using Bakery.BuildFiles;
using Bakery.BuildFiles.Model;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.BuildFiles.Tests.BuildFiles;

/// <summary>
/// Relative paths start from the working folder, as in Packer (issue 12 item 9). Packer 1.6.6, with sub/t8.json holding
/// "user_data_file": "ud.txt" and "script": "scripts/a.sh" (both under sub/): run from sub/ it validates; run from the parent,
/// `packer validate sub/t8.json` says "user_data_file not found: ud.txt", and a file source says
/// "Bad source 'scripts/nope.sh': stat scripts/nope.sh: no such file or directory".
/// </summary>
public sealed class RelativePathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bakery-relative-").FullName;

    public RelativePathTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "sub", "scripts"));
        File.WriteAllText(Path.Combine(_root, "sub", "scripts", "a.sh"), "echo hi\n");
        File.WriteAllText(Path.Combine(_root, "sub", "ud.txt"), "x\n");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private const string BuildFile = """
        {"builders": [{"type": "amazon-ebs", "region": "us-east-1", "source_ami": "ami-12345678", "instance_type": "t3.micro",
          "ami_name": "xyz", "user_data_file": "USERDATA"}],
         "provisioners": [{"type": "shell", "script": "SCRIPT"}]}
        """;

    private BuildFileResult Load(string? workingFolder, string userData = "ud.txt", string script = "scripts/a.sh") =>
        new BuildFileLoader(new FakeTimeProvider(BuildFileTestKit.Now)).Load(new BuildFileInput
        {
            Path = Path.Combine(_root, "sub", "t8.json"),
            Content = Encoding.UTF8.GetBytes(BuildFile.Replace("USERDATA", userData, StringComparison.Ordinal).Replace("SCRIPT", script, StringComparison.Ordinal)),
            Files = new LocalBundleFiles(),
            WorkingFolder = workingFolder,
        });

    [Fact]
    public void From_the_build_files_folder_relative_paths_are_found()
    {
        var result = BuildFileTestKit.AssertValid(Load(Path.Combine(_root, "sub")));
        Assert.EndsWith("sub/ud.txt", result.Definition!.Builds[0].Builder.UserDataFile, StringComparison.Ordinal);
    }

    [Fact]
    public void From_another_folder_relative_paths_start_there_and_the_error_names_the_template_dir_spelling()
    {
        var result = Load(_root);

        Assert.Equal(2, result.Errors.Count);
        var userData = result.Errors[0];
        Assert.Contains($"file not found: \"ud.txt\" (looked for {_root}/ud.txt)", userData.Message, StringComparison.Ordinal);
        Assert.Contains("write \"{{template_dir}}/ud.txt\"", userData.Message, StringComparison.Ordinal);
        Assert.Contains("write \"{{template_dir}}/scripts/a.sh\"", result.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_another_folder_a_path_relative_to_it_is_found()
    {
        var result = BuildFileTestKit.AssertValid(Load(_root, userData: "sub/ud.txt", script: "sub/scripts/a.sh"));
        var shell = (ShellProvisioner)result.Definition!.Builds[0].Provisioners[0];
        Assert.EndsWith("sub/scripts/a.sh", shell.Scripts[0].BundlePath, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_dir_paths_mean_the_build_files_folder_from_anywhere() =>
        BuildFileTestKit.AssertValid(Load(_root, userData: "{{template_dir}}/ud.txt", script: "{{template_dir}}/scripts/a.sh"));

    [Fact]
    public void Without_a_working_folder_an_uploaded_build_starts_from_the_build_files_folder() =>
        BuildFileTestKit.AssertValid(Load(null));

    [Fact]
    public void A_missing_file_is_shown_with_its_absolute_path()
    {
        // Item 13: the message used to show the path relative to the disk root ("tmp/..."), losing its leading '/'.
        var error = Assert.Single(Load(Path.Combine(_root, "sub"), script: "scripts/none.sh").Errors);
        Assert.Contains($"(looked for {_root}/sub/scripts/none.sh)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("template_dir", error.Message, StringComparison.Ordinal);
    }
}
