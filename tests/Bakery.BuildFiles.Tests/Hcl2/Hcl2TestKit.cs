using System.Text;
using Bakery.BuildFiles.Tests.BuildFiles;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.BuildFiles.Tests.Hcl2;

/// <summary>Loads HCL2 templates written inline in tests, at a fixed time, against an in-memory bundle.</summary>
internal static class Hcl2TestKit
{
    public const string Source = """
        source "amazon-ebs" "web" {
          region        = "us-east-1"
          source_ami    = "ami-12345678"
          instance_type = "t3.micro"
          ami_name      = "web-{{timestamp}}"
        }

        """;

    public static BuildFileResult Load(
        string hcl,
        IReadOnlyList<KeyValuePair<string, string>>? vars = null,
        IReadOnlyList<VarFile>? varFiles = null,
        IReadOnlyList<string>? only = null,
        Func<string, string?>? environment = null,
        IReadOnlyList<VarFile>? moreFiles = null,
        IReadOnlyDictionary<string, DataSourceValue>? dataSources = null) =>
        new BuildFileLoader(new FakeTimeProvider(BuildFileTestKit.Now)).Load(new BuildFileInput
        {
            Path = "builds/web/build.pkr.hcl",
            Content = Encoding.UTF8.GetBytes(hcl),
            MoreFiles = moreFiles ?? [],
            Vars = vars ?? [],
            VarFiles = varFiles ?? [],
            Only = only ?? [],
            Files = new InMemoryBundleFiles("builds/web/setup.sh", "builds/web/files/a.conf"),
            Environment = environment ?? (_ => null),
            Pwd = "/work",
            DataSources = dataSources ?? new Dictionary<string, DataSourceValue>(),
        });

    public static Diagnostic SingleError(BuildFileResult result, string fragment)
    {
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        return error;
    }
}
