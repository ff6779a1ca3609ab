namespace Bakery.Local.Instances;

/// <summary>
/// Where the stand-in tells what its instances do: <see cref="Say"/> for notes (<c>==&gt; amazon-ebs: source ami-...
/// runs locally as Debian trixie</c>), <see cref="Line"/> for each line a script prints, as Packer streams it
/// (<c>    amazon-ebs: + apt update</c>). The target is the build's name; null when the instance has none.
/// </summary>
public sealed class LocalInstancesOutput
{
    public Action<string?, string> OnSay { get; init; } = (_, _) => { };

    public Action<string, string> OnLine { get; init; } = (_, _) => { };

    public void Say(string? target, string text) => OnSay(target, text);

    public void Line(string target, string text) => OnLine(target, text);
}
