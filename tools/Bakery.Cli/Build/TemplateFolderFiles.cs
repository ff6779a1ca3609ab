namespace Bakery.Cli.Build;

/// <summary>
/// The files <c>bakery build FOLDER</c> reads as one template, as <c>packer build FOLDER</c> does: every <c>*.pkr.hcl</c> and
/// then every <c>*.pkr.json</c> directly in the folder (by name), and its <c>*.auto.pkrvars.hcl</c> files.
/// </summary>
internal sealed record TemplateFolderFiles(IReadOnlyList<string> Templates, IReadOnlyList<string> AutoVarFiles)
{
    public static TemplateFolderFiles Read(string folder) => new(
        [.. Directory.GetFiles(folder, "*.pkr.hcl").Order(StringComparer.Ordinal), .. Directory.GetFiles(folder, "*.pkr.json").Order(StringComparer.Ordinal)],
        [.. Directory.GetFiles(folder, "*.auto.pkrvars.hcl").Order(StringComparer.Ordinal)]);
}
