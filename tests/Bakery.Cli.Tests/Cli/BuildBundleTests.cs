using System.Text;
using Bakery.Cli.Build;
using Bakery.BuildFiles;

namespace Bakery.EndToEnd.Tests.Cli;

public sealed class BuildBundleTests
{
    private static readonly string BuildFile = Path.Combine(AppContext.BaseDirectory, "resources", "Cli", "bundle", "sub", "build.json");

    private static (BuildBundle Bundle, BuildFileResult Result) Load(IReadOnlyList<KeyValuePair<string, string>>? vars = null, IReadOnlyList<VarFile>? varFiles = null)
    {
        var recorder = new RecordingBundleFiles(new LocalBundleFiles());
        var input = new BuildFileInput
        {
            Path = BuildFile,
            Content = File.ReadAllBytes(BuildFile),
            Files = recorder,
            Vars = vars ?? [],
            VarFiles = varFiles ?? [],
        };
        var result = new BuildFileLoader(TimeProvider.System).Load(input);
        return (BuildBundle.Create(BuildFile, recorder.Referenced, input), result);
    }

    [Fact]
    public void Root_is_the_deepest_folder_holding_the_build_file_and_what_it_references()
    {
        var (bundle, result) = Load();

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "resources", "Cli", "bundle"), bundle.Root);
        Assert.Equal(["builds/build/scripts/setup.sh", "builds/build/sub/build.json"], bundle.Files.Select(f => f.Key));
    }

    [Fact]
    public void The_build_file_is_uploaded_last_because_its_upload_is_the_trigger()
    {
        var (bundle, _) = Load(vars: [new("greeting", "hi")]);

        Assert.Equal("builds/build/sub/build.json", bundle.Files[^1].Key);
        Assert.Equal(bundle.BuildFileKey, bundle.Files[^1].Key);
    }

    [Fact]
    public void Variables_travel_as_the_sibling_vars_file_with_var_winning_over_var_files()
    {
        var varFile = new VarFile("v.json", Encoding.UTF8.GetBytes("""{"greeting": "from-file", "other": "kept"}"""));
        var (bundle, _) = Load(vars: [new("greeting", "from-var")], varFiles: [varFile]);

        var vars = bundle.Files.Single(f => f.Key == "builds/build/sub/build.vars.json");
        var text = Encoding.UTF8.GetString(vars.Content!);
        Assert.Contains("\"greeting\": \"from-var\"", text, StringComparison.Ordinal);
        Assert.Contains("\"other\": \"kept\"", text, StringComparison.Ordinal);
        Assert.True(bundle.Files.ToList().IndexOf(vars) < bundle.Files.Count - 1);
    }

    [Fact]
    public void Without_variables_no_vars_file_is_uploaded()
    {
        var (bundle, _) = Load();

        Assert.DoesNotContain(bundle.Files, f => f.Key.EndsWith(".vars.json", StringComparison.Ordinal));
    }
}
