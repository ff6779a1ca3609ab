using Bakery.BuildFiles;

namespace Bakery.BuildFiles.Tests.BuildFiles;

public class LocalBundleFilesTests
{
    [Fact]
    public void Resolves_relative_to_the_build_file_folder_and_refuses_to_leave_the_root()
    {
        var root = Path.Combine(AppContext.BaseDirectory, "resources", "invalid");
        var files = new LocalBundleFiles(root);
        var folder = files.GetBuildFileFolder(Path.Combine(root, "x.json"));
        Assert.Equal("scripts/ok.sh", files.ResolveRelative(folder, "scripts/ok.sh"));
        Assert.Equal(BundleEntryKind.File, files.GetKind("scripts/ok.sh"));
        Assert.Equal(BundleEntryKind.Directory, files.GetKind("scripts"));
        Assert.Equal(BundleEntryKind.Missing, files.GetKind("scripts/none.sh"));
        Assert.Null(files.ResolveRelative(folder, "../x.sh"));
        Assert.Equal("scripts/ok.sh", files.ResolveRelative(folder, folder + "/sub/../scripts/ok.sh"));
    }

    [Theory]
    [InlineData("a/b", "../c/x.sh", "a/c/x.sh")]
    [InlineData("a/b", "/top.sh", "top.sh")]
    [InlineData("a", "..\\x.sh", "x.sh")]
    [InlineData("a", "../../x.sh", null)]
    public void Bundle_paths_combine_and_normalize(string folder, string relative, string? expected) =>
        Assert.Equal(expected, BundlePath.Combine(folder, relative));
}
