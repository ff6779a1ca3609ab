using System.Text.Json;
using Bakery.BuildFiles;
using Bakery.BuildFiles.Settings;
using Bakery.Core.Aws;

namespace Bakery.Core.Steps.Prepare;

/// <summary>
/// Tells an uploaded build file from the other objects a bundle holds (variable files, data files, settings,
/// manifests): an upload of those ends a Prepare with <c>skip: not-a-build-file</c> instead of a refusal.
/// </summary>
internal static class BuildFileSniffer
{
    /// <summary>Why an uploaded object is not a build file, or null when it is one.</summary>
    public static string? WhyNotABuildFile(StoredObject stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (BuildFileLoader.IsHcl2(stored.Key))
        {
            return null;
        }

        if (!stored.Key.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return "is not a .json, .pkr.hcl or .pkr.json file";
        }

        if (stored.Key.EndsWith(".vars.json", StringComparison.OrdinalIgnoreCase))
        {
            return "is a variable file";
        }

        if (BakerySettingsLoader.IsSidecar(stored.Key))
        {
            return "is Bakery's settings for the build file beside it";
        }

        try
        {
            using var document = JsonDocument.Parse(stored.Content);
            return document.RootElement.ValueKind == JsonValueKind.Object && !document.RootElement.TryGetProperty("builders", out _)
                ? "has no 'builders'"
                : null;
        }
        catch (JsonException)
        {
            // Not JSON at all: let the engine say where it breaks, as for any broken build file.
            return null;
        }
    }
}
