using System.Text.Json;
using Bakery.BuildFiles.Model;
using Bakery.BuildFiles.Settings;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Bundles;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;
using Bakery.Core.Serialization;
using Bakery.Core.Triggers;

namespace Bakery.Core.Steps.Prepare;

/// <summary>
/// Bakery's own settings: the sidecar <c>NAME.bakery.json</c> (or <c>NAME.bakery.hcl</c>, never both) beside the build file, then the console input's
/// <c>"bakery"</c> over it; refused like a build file (every problem with its file and place) before anything is staged.
/// </summary>
internal sealed class SettingsReader(IObjectStore objects, AwsRetry retry, BakeryConfiguration configuration)
{
    /// <summary>How messages name the stack defaults (template.yaml's BakeryDefaults, docs/build-files.md).</summary>
    public const string StackDefaults = "the stack's BakeryDefaults";

    /// <summary>The settings, or null when nothing is set.</summary>
    /// <param name="bundle">Where test_image's scripts are looked up: beside the build file, as its provisioners' scripts are.</param>
    public async Task<BakerySettings?> ReadAsync(
        BuildRequest request, BuildSource source, BuildDefinition definition, S3BundleFiles bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(definition);
        var files = new SettingsFiles(bundle, source.Key);
        var settings = BakerySettings.None;
        string? described = null;
        if (configuration.DefaultSettings is { } defaults)
        {
            // Checked on every build, not once at start: a bad value must refuse builds with its reason, not stop the function.
            described = StackDefaults;
            settings = Checked(BakerySettingsLoader.Load(StackDefaults, System.Text.Encoding.UTF8.GetBytes(defaults)), StackDefaults);
        }

        StoredObject? sidecar = null;
        foreach (var sidecarKey in SettingsSidecar.PathsOf(source.Key))
        {
            var found = await retry.RunAsync("S3 GetObject (settings)", token => objects.GetAsync(source.Bucket, sidecarKey, token), cancellationToken)
                .ConfigureAwait(false);
            if (found is null)
            {
                continue;
            }

            if (sidecar is not null)
            {
                throw new BuildFileInvalid(SettingsSidecar.BothMessage(described!, $"s3://{source.Bucket}/{sidecarKey}") + ".");
            }

            (sidecar, described) = (found, $"s3://{source.Bucket}/{sidecarKey}");
        }

        if (sidecar is not null)
        {
            settings = Checked(SettingsSidecar.Load(described!, sidecar.Content, files), described!).Over(settings);
        }

        if (request.Settings is { } input)
        {
            described = "the input's \"bakery\"";
            settings = Checked(BakerySettingsLoader.Load(described, JsonSerializer.SerializeToUtf8Bytes(input, BakeryJsonContext.Default.JsonElement), files), described)
                .Over(settings);
        }

        if (settings.PublishParameter is { } publish)
        {
            EnsureParameterNames(publish, definition, described ?? "Bakery's settings");
        }

        return settings.IsEmpty ? null : settings;
    }

    private void EnsureParameterNames(PublishParameterSettings publish, BuildDefinition definition, string described)
    {
        foreach (var builder in definition.Builds.Select(plan => plan.Builder))
        {
            foreach (var region in (IEnumerable<string>)[builder.Region, .. builder.AmiRegions])
            {
                var name = ParameterNames.Render(publish.Name, builder.Name, region);
                if (ParameterNames.ProblemWithName(name) is { } problem)
                {
                    throw new BuildFileInvalid($"{described}: publish_parameter.name for builder '{builder.Name}' in {region}: {problem}; rename the builder or the parameter.");
                }

                if (configuration.ParameterPrefix is { } prefix && !name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    throw new BuildFileInvalid(
                        $"{described}: publish_parameter.name \"{name}\" is outside {prefix}, where this Bakery stack may write parameters " +
                        $"(its ParameterPrefix); name it {prefix}..., or deploy the stack with a ParameterPrefix that covers it.");
                }
            }
        }
    }

    private static BakerySettings Checked(BakerySettingsResult result, string described) => result.Settings
        ?? throw new BuildFileInvalid($"{described} is not valid Bakery settings:\n  {string.Join("\n  ", result.Errors)}");
}
