using System.Text;
using Bakery.BuildFiles;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.BuildFiles.Tests.BuildFiles;

/// <summary>Loads build files written inline in tests, at a fixed time, against an in-memory bundle.</summary>
internal static class BuildFileTestKit
{
    public static readonly DateTimeOffset Now = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    public const string MinimalBuilder = """
        {"type": "amazon-ebs", "region": "us-east-1", "source_ami": "ami-12345678", "instance_type": "t3.micro", "ami_name": "test-{{timestamp}}"}
        """;

    public static BuildFileResult Load(
        string json,
        IReadOnlyList<KeyValuePair<string, string>>? vars = null,
        IReadOnlyList<VarFile>? varFiles = null,
        IBundleFiles? files = null,
        IReadOnlyList<string>? only = null,
        IReadOnlyList<string>? except = null,
        Func<string, string?>? environment = null) =>
        new BuildFileLoader(new FakeTimeProvider(Now)).Load(new BuildFileInput
        {
            Path = "builds/web/build.json",
            Content = Encoding.UTF8.GetBytes(json),
            Vars = vars ?? [],
            VarFiles = varFiles ?? [],
            Only = only ?? [],
            Except = except ?? [],
            Files = files ?? new InMemoryBundleFiles("builds/web/setup.sh", "builds/web/files/a.conf", "builds/shared/common.sh", "builds/web/user-data.txt"),
            Environment = environment ?? (_ => null),
            Pwd = "/work",
        });

    /// <summary>A file with one builder (extra builder fields merged in) and the given sections.</summary>
    public static string WithBuilder(string extraBuilderFields = "", string rest = "")
    {
        var baseBuilder = extraBuilderFields.Contains("\"ami_name\"", StringComparison.Ordinal)
            ? MinimalBuilder.Replace(", \"ami_name\": \"test-{{timestamp}}\"", "", StringComparison.Ordinal)
            : MinimalBuilder;
        var builder = baseBuilder.TrimEnd('}', ' ', '\n', '\r') + (extraBuilderFields.Length > 0 ? ", " + extraBuilderFields : "") + "}";
        return "{\"builders\": [" + builder + "]" + (rest.Length > 0 ? ", " + rest : "") + "}";
    }

    public static string WithProvisioner(string provisioner) => WithBuilder(rest: "\"provisioners\": [" + provisioner + "]");

    public static BuildFileResult AssertValid(BuildFileResult result)
    {
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        return result;
    }

    public static Diagnostic AssertSingleError(BuildFileResult result, string fragment)
    {
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        return error;
    }
}
