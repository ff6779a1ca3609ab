namespace Bakery.Cli.Build;

/// <summary>Packer's human output: bold <c>==&gt;</c> lines, indented messages, red errors, green artifacts (colors optional).</summary>
internal sealed class HumanUi(TextWriter output, bool color) : BuildUi
{
    private const string Bold = "\u001b[1m";
    private const string Red = "\u001b[31;1m";
    private const string Green = "\u001b[32;1m";
    private const string Reset = "\u001b[0m";
    private readonly Lock _gate = new();

    public override void Say(string? target, string text) => Write(Bold, target is null ? $"==> {text}" : $"==> {target}: {text}");

    public override void Message(string target, string text)
    {
        foreach (var line in text.Split('\n'))
        {
            Write(null, $"    {target}: {line.TrimEnd('\r')}");
        }
    }

    public override void Error(string? target, string text) => Write(Red, target is null ? $"==> {text}" : $"==> {target}: {text}");

    public override void Plain(string text) => Write(null, text);

    public override void Artifact(string target, int index, int count, string id, string description)
    {
        Write(Green, $"--> {target}: {description.TrimEnd('\n')}");
    }

    private void Write(string? style, string line)
    {
        lock (_gate)
        {
            output.WriteLine(color && style is not null ? style + line + Reset : line);
            output.Flush();
        }
    }
}
