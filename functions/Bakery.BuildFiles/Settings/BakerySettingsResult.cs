namespace Bakery.BuildFiles.Settings;

/// <summary>The outcome of reading Bakery's settings: the settings when valid, and every problem found (file, place, fix).</summary>
public sealed record BakerySettingsResult
{
    /// <summary>The settings; null when <see cref="Errors"/> is not empty.</summary>
    public BakerySettings? Settings { get; init; }

    public IReadOnlyList<Diagnostic> Errors { get; init; } = [];

    public bool IsValid => Errors.Count == 0 && Settings is not null;
}
