using System.Text;
using Bakery.Core.Aws;
using Bakery.Core.Steps.Prepare;

namespace Bakery.Core.Tests.Steps.Prepare;

public sealed class BuildFileSnifferTests
{
    [Theory]
    [InlineData("builds/w/w.json", "{\"builders\": []}", null)]
    [InlineData("builds/w/w.pkr.hcl", "source \"amazon-ebs\" \"x\" {}", null)]
    [InlineData("builds/w/w.json", "{ broken", null)]
    [InlineData("builds/w/setup.sh", "echo", "is not a .json, .pkr.hcl or .pkr.json file")]
    [InlineData("builds/w/w.vars.json", "{}", "is a variable file")]
    [InlineData("builds/w/w.bakery.json", "{}", "is Bakery's settings for the build file beside it")]
    [InlineData("builds/w/data.json", "{\"rows\": []}", "has no 'builders'")]
    public void Only_build_files_are_built(string key, string content, string? reason) =>
        Assert.Equal(reason, BuildFileSniffer.WhyNotABuildFile(new StoredObject(key, Encoding.UTF8.GetBytes(content))));
}
