namespace Bakery.BuildFiles.Templates;

/// <summary>
/// Everything a template may read while it renders. One context per build (so <c>{{timestamp}}</c> and
/// <c>{{uuid}}</c>-free values agree across fields); which members are set decides what is allowed where,
/// as in Packer: <see cref="Environment"/> only in variable defaults, build-time data only in the step that has it.
/// </summary>
public sealed class TemplateContext
{
    /// <summary><c>{{user `name`}}</c>. A null result is an "undefined variable" error.</summary>
    public Func<string, string?>? UserVariable { get; init; }

    /// <summary>The template is a value of an HCL2 template, where Packer offers no <c>{{user}}</c> (errors say so).</summary>
    public bool InHcl2 { get; init; }

    /// <summary><c>{{env `NAME`}}</c>. Null means <c>env</c> is not allowed here (Packer allows it only in variable defaults).</summary>
    public Func<string, string?>? Environment { get; init; }

    public string BuildName { get; init; } = "";

    public string BuildType { get; init; } = "amazon-ebs";

    public string TemplateDir { get; init; } = "";

    public string Pwd { get; init; } = "";

    public string PackerVersion { get; init; } = "1.9.4";

    /// <summary><c>{{timestamp}}</c>: Unix seconds, one value per build so every field agrees.</summary>
    public long Timestamp { get; init; }

    /// <summary>The instant <c>{{isotime}}</c> formats.</summary>
    public DateTimeOffset Now { get; init; }

    public Func<Guid> NewUuid { get; init; } = Guid.NewGuid;

    /// <summary>Dot-data: <c>.SourceAMI</c>, <c>.BuildRegion</c>, <c>.SourceAMITags</c> (a map), <c>.Path</c>, <c>.Vars</c>, ...</summary>
    public IReadOnlyDictionary<string, TemplateValue>? Data { get; init; }

    /// <summary><c>{{build `Name`}}</c>; a null result means the value is not known (yet).</summary>
    public Func<string, string?>? Build { get; init; }

    /// <summary>
    /// When true, an action that needs dot-data or <c>build</c> that is not provided is written out verbatim
    /// (its original text, trim markers included) so a later step can render it.
    /// </summary>
    public bool DeferBuildTimeData { get; init; }
}
