using Bakery.BuildFiles;

namespace Bakery.Cli.Build;

/// <summary>Everything <c>bakery build</c> was asked to do, parsed and validated.</summary>
internal sealed record BuildSettings
{
    public required BuildFileInput Input { get; init; }
    /// <summary>For <c>bakery build FOLDER</c>: the folder's files, uploaded together as one build; null for a file.</summary>
    public TemplateFolderFiles? Folder { get; init; }
    public bool MachineReadable { get; init; }
    public bool Color { get; init; } = true;
    /// <summary>Packer's <c>-on-error</c>: <c>cleanup</c> (default) or <c>abort</c> (keep what an interrupted build created).</summary>
    public string OnError { get; init; } = "cleanup";
    public string? Stack { get; init; }
    /// <summary><c>--resume BUILD_ID</c>: continue that failed build instead of starting one (docs/reliability.md).</summary>
    public string? Resume { get; init; }
}
