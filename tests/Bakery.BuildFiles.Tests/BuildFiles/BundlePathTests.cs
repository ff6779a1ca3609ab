using Bakery.BuildFiles;

namespace Bakery.BuildFiles.Tests.BuildFiles;

public class BundlePathTests
{
    [Theory]
    [InlineData(new[] { "builds/nginx" }, "builds/nginx")]
    [InlineData(new[] { "builds/nginx", "builds/nginx/scripts" }, "builds/nginx")]
    [InlineData(new[] { "builds/nginx", "builds/shared/scripts" }, "builds")]
    [InlineData(new[] { "builds/nginx/", "builds\\nginx\\files" }, "builds/nginx")]
    [InlineData(new[] { "builds/nginx", "other" }, "")]
    [InlineData(new[] { "builds/nginx", "builds/nginx-old" }, "builds")]
    public void The_common_folder_is_the_deepest_one_holding_every_folder(string[] folders, string expected)
    {
        Assert.Equal(expected, BundlePath.CommonFolder(folders));
    }
}
