using System.Globalization;

namespace Bakery.Cli.Build;

/// <summary>
/// Packer's <c>-machine-readable</c> lines: <c>timestamp,target,type,data...</c>, commas in data written as
/// <c>%!(PACKER_COMMA)</c> and newlines as <c>\n</c>, UI lines as <c>ui,say|message|error</c>, artifacts as
/// <c>artifact-count</c> and <c>artifact,N,...</c> rows.
/// </summary>
internal sealed class MachineReadableUi(TextWriter output, Func<DateTimeOffset> now) : BuildUi
{
    private readonly Lock _gate = new();

    public override void Say(string? target, string text) => Ui("say", target is null ? $"==> {text}" : $"==> {target}: {text}");

    public override void Message(string target, string text) => Ui("message", $"    {target}: {text}");

    public override void Error(string? target, string text)
    {
        if (target is not null)
        {
            Line(target, "error", text);
        }

        Ui("error", target is null ? $"==> {text}" : $"==> {target}: {text}");
    }

    public override void Plain(string text) => Ui("say", text);

    public override void Artifact(string target, int index, int count, string id, string description)
    {
        var n = index.ToString(CultureInfo.InvariantCulture);
        if (index == 0)
        {
            Line(target, "artifact-count", count.ToString(CultureInfo.InvariantCulture));
        }

        Line(target, "artifact", n, "builder-id", "mitchellh.amazonebs");
        Line(target, "artifact", n, "id", id);
        Line(target, "artifact", n, "string", description);
        Line(target, "artifact", n, "files-count", "0");
        Line(target, "artifact", n, "end");
        Ui("say", $"--> {target}: {description}");
    }

    /// <summary>One machine-readable line (exposed for tests of the escaping).</summary>
    internal static string Format(DateTimeOffset timestamp, string target, string type, params string[] data) =>
        string.Join(',', [timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), target, type, .. data.Select(Escape)]);

    private static string Escape(string value) =>
        value.Replace(",", "%!(PACKER_COMMA)", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private void Ui(string type, string text) => Line("", "ui", type, text);

    private void Line(string target, string type, params string[] data)
    {
        lock (_gate)
        {
            output.WriteLine(Format(now(), target, type, data));
            output.Flush();
        }
    }
}
