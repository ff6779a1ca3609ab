using System.Text;
using Bakery.BuildFiles;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.BuildFiles.Tests.BuildFiles;

/// <summary>
/// Symbolic links in what a build uploads (the local disk, as <c>bakery validate</c> and <c>bakery build</c> see it).
/// Links do not survive git reliably, so each test makes its own in a fresh folder:
/// <c>project/build/</c> holds the build file, <c>setup.sh</c> and <c>files/</c>; <c>project/outside/</c> is a
/// sibling the build never references.
/// </summary>
public sealed class SymlinkTests : IDisposable
{
    private readonly string _project = Directory.CreateTempSubdirectory("bakery-links-").FullName;

    public SymlinkTests()
    {
        Directory.CreateDirectory(Path.Combine(_project, "build", "files"));
        Directory.CreateDirectory(Path.Combine(_project, "build", "docs"));
        Directory.CreateDirectory(Path.Combine(_project, "outside"));
        File.WriteAllText(Path.Combine(_project, "build", "setup.sh"), "echo setup\n");
        File.WriteAllText(Path.Combine(_project, "build", "files", "app.conf"), "port=80\n");
        File.WriteAllText(Path.Combine(_project, "build", "docs", "readme.txt"), "docs\n");
        File.WriteAllText(Path.Combine(_project, "outside", "secret.txt"), "not for the instance\n");
    }

    public void Dispose() => Directory.Delete(_project, recursive: true);

    private string Build => Path.Combine(_project, "build");

    [Fact]
    public void A_script_that_is_a_link_to_an_absolute_path_outside_is_refused_naming_the_file_the_link_and_the_fix()
    {
        File.CreateSymbolicLink(Path.Combine(Build, "passwd.sh"), "/etc/passwd");

        var error = Assert.Single(Load(script: "passwd.sh").Errors);

        Assert.Equal("provisioners[0].script", error.JsonPath);
        Assert.Contains("\"passwd.sh\" is a symbolic link to /etc/passwd", error.Message, StringComparison.Ordinal);
        Assert.Contains("leads outside the folder tree this build uploads", error.Message, StringComparison.Ordinal);
        Assert.Contains("Copy what you need into the build's folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_source_folder_holding_a_link_out_of_the_bundle_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(Build, "files", "credentials"), "../../outside/secret.txt");

        var error = Assert.Single(Load().Errors);

        Assert.Equal("provisioners[1].source", error.JsonPath);
        Assert.Contains("\"files/\" holds the symbolic link files/credentials -> ../../outside/secret.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains("leads outside", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_to_etc_passwd_deep_in_a_source_folder_is_refused()
    {
        Directory.CreateDirectory(Path.Combine(Build, "files", "etc", "deep"));
        File.CreateSymbolicLink(Path.Combine(Build, "files", "etc", "deep", "passwd"), "/etc/passwd");

        var error = Assert.Single(Load().Errors);

        Assert.Contains("files/etc/deep/passwd -> /etc/passwd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_linked_folder_on_the_way_to_a_script_is_refused_when_it_leads_outside()
    {
        Directory.CreateSymbolicLink(Path.Combine(Build, "scripts"), Path.Combine(_project, "outside"));

        var error = Assert.Single(Load(script: "scripts/secret.txt").Errors);

        Assert.Contains("\"scripts/secret.txt\" goes through the symbolic link scripts -> ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_that_points_to_nothing_or_loops_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(Build, "files", "gone"), "no-such-file");
        Directory.CreateSymbolicLink(Path.Combine(Build, "files", "again"), "..");

        var errors = Load().Errors.Select(e => e.Message).ToList();

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, m => m.Contains("files/gone -> no-such-file, which points to nothing", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.Contains("files/again -> .., which leads back to a folder that contains it", StringComparison.Ordinal));
    }

    [Fact]
    public void Links_that_stay_inside_the_bundle_are_followed_and_uploaded_under_their_own_names()
    {
        File.CreateSymbolicLink(Path.Combine(Build, "current.sh"), "setup.sh");
        Directory.CreateSymbolicLink(Path.Combine(Build, "files", "docs"), "../docs");

        var result = Load(script: "current.sh");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(
            [Path.Combine(Build, "files", "app.conf"), Path.Combine(Build, "files", "docs", "readme.txt")],
            LocalBundleFiles.EnumerateFiles(Path.Combine(Build, "files")));
    }

    [Fact]
    public void A_link_into_a_folder_the_build_also_references_by_dot_dot_is_inside_the_upload()
    {
        // ../outside/secret.txt is named in the build file itself, so the upload covers project/: a link there is inside.
        File.CreateSymbolicLink(Path.Combine(Build, "files", "secret"), "../../outside/secret.txt");

        var result = Load(extraProvisioner: """{"type": "file", "source": "../outside/secret.txt", "destination": "/tmp/secret"}""");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    private BuildFileResult Load(string script = "setup.sh", string extraProvisioner = "")
    {
        var provisioners = $$"""
            {"type": "shell", "script": "{{script}}"},
            {"type": "file", "source": "files/", "destination": "/tmp/app"}
            """ + (extraProvisioner.Length > 0 ? "," + extraProvisioner : "");
        var json = BuildFileTestKit.WithBuilder(rest: "\"provisioners\": [" + provisioners + "]");
        var path = Path.Combine(Build, "build.json");
        File.WriteAllText(path, json);
        return new BuildFileLoader(new FakeTimeProvider(BuildFileTestKit.Now)).Load(new BuildFileInput
        {
            Path = path,
            Content = Encoding.UTF8.GetBytes(json),
            Files = new LocalBundleFiles(),
            Environment = _ => null,
            Pwd = Build,
        });
    }
}
