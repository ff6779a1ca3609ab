namespace Bakery.Cli.Build;

/// <summary>
/// Where build progress goes, in Packer's vocabulary: <c>say</c> (<c>==&gt; target: text</c>), <c>message</c>
/// (<c>    target: text</c>), <c>error</c>, plain lines, and artifacts. Human and machine-readable forms implement it.
/// </summary>
internal abstract class BuildUi
{
    public abstract void Say(string? target, string text);

    public abstract void Message(string target, string text);

    public abstract void Error(string? target, string text);

    /// <summary>A line without prefix (<c>Build 'x' finished after ...</c>).</summary>
    public abstract void Plain(string text);

    /// <summary>One artifact of a build: its id (<c>region:ami,...</c>) and its human description.</summary>
    public abstract void Artifact(string target, int index, int count, string id, string description);
}
