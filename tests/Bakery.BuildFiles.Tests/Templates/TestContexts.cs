using Bakery.BuildFiles.Templates;

namespace Bakery.BuildFiles.Tests.Templates;

/// <summary>Fixed contexts so every rendered value is known in advance.</summary>
internal static class TestContexts
{
    public static readonly DateTimeOffset Now = new(2024, 3, 9, 7, 5, 9, 120, TimeSpan.Zero);

    public static readonly Guid Uuid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    public static readonly Dictionary<string, string> Variables = new(StringComparer.Ordinal)
    {
        ["name"] = "My-Image",
        ["region"] = "eu-west-1",
        ["empty"] = "",
    };

    public static TemplateContext Build(
        IReadOnlyDictionary<string, TemplateValue>? data = null,
        bool defer = false,
        Func<string, string?>? environment = null,
        Func<string, string?>? build = null) => new()
        {
            UserVariable = name => Variables.GetValueOrDefault(name),
            Environment = environment,
            BuildName = "amazon-ebs",
            BuildType = "amazon-ebs",
            TemplateDir = "/builds/nginx",
            Pwd = "/work",
            PackerVersion = "1.9.4",
            Timestamp = 1_709_967_909,
            Now = Now,
            NewUuid = () => Uuid,
            Data = data,
            Build = build,
            DeferBuildTimeData = defer,
        };

    public static string Render(string template, TemplateContext? context = null) =>
        TemplateParser.Parse(template).Render(context ?? Build());
}
