using Amazon.S3.Model;
using Bakery.BuildFiles;
using Bakery.Cli.Build;

namespace Bakery.EndToEnd.Tests.Cli;

/// <summary><c>bakery build FOLDER</c>'s upload: the folder's files together under <c>builds/FOLDER-NAME/</c>, one build.</summary>
public sealed class FolderBundleTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "resources", "Cli", "web-folder");

    private static (BuildBundle Bundle, BuildFileResult Result) Load(IReadOnlyList<KeyValuePair<string, string>>? vars = null)
    {
        var files = TemplateFolderFiles.Read(Folder);
        var recorder = new RecordingBundleFiles(new LocalBundleFiles());
        var input = new BuildFileInput
        {
            Path = files.Templates[0],
            Content = File.ReadAllBytes(files.Templates[0]),
            MoreFiles = [.. files.Templates.Skip(1).Select(t => new VarFile(t, File.ReadAllBytes(t)))],
            VarFiles = [.. files.AutoVarFiles.Select(a => new VarFile(a, File.ReadAllBytes(a)))],
            Vars = vars ?? [],
            Files = recorder,
        };
        var result = new BuildFileLoader(TimeProvider.System).Load(input);
        return (BuildBundle.Create(input.Path, recorder.Referenced, input, files), result);
    }

    [Fact]
    public void The_folders_templates_are_read_in_packers_order_hcl_files_by_name_then_json()
    {
        var files = TemplateFolderFiles.Read(Folder);

        Assert.Equal(["build.pkr.hcl", "sources.pkr.hcl", "variables.pkr.hcl"], files.Templates.Select(Path.GetFileName));
        Assert.Equal(["app.auto.pkrvars.hcl"], files.AutoVarFiles.Select(Path.GetFileName));
    }

    [Fact]
    public void The_folder_goes_under_its_own_name_with_its_scripts_var_files_and_every_template_last()
    {
        var (bundle, result) = Load(vars: [new("env", "prod")]);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal("builds/web-folder/", bundle.Prefix);
        Assert.Equal("builds/web-folder/", bundle.FolderKey);
        Assert.Equal(
            ["builds/web-folder/scripts/setup.sh", "builds/web-folder/build.vars.json", "builds/web-folder/app.auto.pkrvars.hcl",
                "builds/web-folder/build.pkr.hcl", "builds/web-folder/sources.pkr.hcl", "builds/web-folder/variables.pkr.hcl"],
            bundle.Files.Select(f => f.Key));
        // The first template's NAME.vars.json is the one a folder build reads.
        Assert.Equal("builds/web-folder/build.pkr.hcl", bundle.BuildFileKey);
        Assert.Equal(
            ["builds/web-folder/app.auto.pkrvars.hcl", "builds/web-folder/build.pkr.hcl", "builds/web-folder/sources.pkr.hcl", "builds/web-folder/variables.pkr.hcl"],
            bundle.FolderKeys);
    }

    [Fact]
    public void A_files_bundle_has_no_folder_keys()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "resources", "Cli", "bundle", "sub", "build.json");
        var input = new BuildFileInput { Path = path, Content = File.ReadAllBytes(path), Files = new LocalBundleFiles() };

        var bundle = BuildBundle.Create(path, [], input);

        Assert.Null(bundle.FolderKeys);
        Assert.Null(bundle.FolderKey);
    }

    [Fact]
    public void The_predicted_build_id_is_the_folders_name_and_changes_with_any_files_version()
    {
        var (bundle, _) = Load();
        var versions = bundle.FolderKeys!.ToDictionary(k => k, k => ((string?)"v1", (string?)$"\"etag-{k.Length}\""), StringComparer.Ordinal);
        var upload = new BundleUpload(new PutObjectResponse(), versions);

        var id = BuildTrigger.FolderBuildIdOf("bucket", bundle, upload);
        var again = BuildTrigger.FolderBuildIdOf("bucket", bundle, new BundleUpload(new PutObjectResponse(), new Dictionary<string, (string?, string?)>(versions)));
        versions["builds/web-folder/app.auto.pkrvars.hcl"] = ("v2", versions["builds/web-folder/app.auto.pkrvars.hcl"].Item2);
        var changed = BuildTrigger.FolderBuildIdOf("bucket", bundle, upload);

        Assert.Matches("^web-folder-[0-9a-f]{16}$", id);
        Assert.Equal(id, again);
        Assert.NotEqual(id, changed);
    }
}
