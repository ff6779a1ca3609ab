using System.Globalization;
using System.Text.Json;
using Bakery.Core.Exceptions;
using Bakery.Core.Serialization;
using Bakery.Core.Triggers.Wire;

namespace Bakery.Core.Triggers;

/// <summary>
/// Turns whatever started the execution — an S3 <c>Object Created</c> event, a scheduler input or a console input —
/// into one <see cref="BuildRequest"/>. Anything else is a <see cref="BuildInputInvalid"/> that says what was expected.
/// </summary>
public static class TriggerNormalizer
{
    private const string Expected =
        "expected an S3 'Object Created' event, {\"template\": \"s3://bucket/key\", \"vars\": {...}}, {\"buildFile\": {...}}, or {\"resume\": \"BUILD_ID\"}";

    public static BuildRequest Normalize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return Normalize(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new BuildInputInvalid($"The execution input is not JSON ({ex.Message}); {Expected}.");
        }
    }

    public static BuildRequest Normalize(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw new BuildInputInvalid($"The execution input is a JSON {input.ValueKind.ToString().ToLowerInvariant()}; {Expected}.");
        }

        if (input.TryGetProperty("detail-type", out _) || input.TryGetProperty("detail", out _))
        {
            return FromS3Event(Deserialize(input, BakeryJsonContext.Default.S3ObjectCreatedEvent));
        }

        if (input.TryGetProperty("resume", out _))
        {
            return FromResumeInput(input, Deserialize(input, BakeryJsonContext.Default.BuildTriggerInput));
        }

        if (input.TryGetProperty("template", out _) || input.TryGetProperty("buildFile", out _))
        {
            return FromBuildInput(Deserialize(input, BakeryJsonContext.Default.BuildTriggerInput));
        }

        var names = string.Join(", ", input.EnumerateObject().Select(p => $"'{p.Name}'"));
        throw new BuildInputInvalid($"The execution input has {(names.Length == 0 ? "no properties" : "only " + names)}; {Expected}.");
    }

    private static T Deserialize<T>(JsonElement input, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return input.Deserialize(typeInfo) ?? throw new BuildInputInvalid($"The execution input is null; {Expected}.");
        }
        catch (JsonException ex)
        {
            throw new BuildInputInvalid($"The execution input does not have the expected shape at {ex.Path ?? "$"}: {ex.Message}");
        }
    }

    private static BuildRequest FromS3Event(S3ObjectCreatedEvent e)
    {
        if (e.Source != "aws.s3" || e.DetailType != "Object Created")
        {
            throw new BuildInputInvalid(
                $"The event is '{e.DetailType}' from '{e.Source}'; only 'Object Created' from 'aws.s3' starts a build.");
        }

        var bucket = e.Detail?.Bucket?.Name;
        var key = e.Detail?.Object?.Key;
        if (string.IsNullOrEmpty(bucket) || string.IsNullOrEmpty(key))
        {
            throw new BuildInputInvalid("The S3 event has no detail.bucket.name or detail.object.key.");
        }

        return new BuildRequest
        {
            Kind = TriggerKind.S3Upload,
            Bucket = bucket,
            Key = key,
            VersionId = NullIfEmpty(e.Detail!.Object!.VersionId),
            ETag = NullIfEmpty(e.Detail.Object.Etag),
            Sequencer = NullIfEmpty(e.Detail.Object.Sequencer),
            EventTime = ParseTime(e.Time, "time"),
        };
    }

    private static BuildRequest FromBuildInput(BuildTriggerInput input)
    {
        var hasTemplate = !string.IsNullOrWhiteSpace(input.Template);
        var hasInline = input.BuildFile is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined };
        if (hasTemplate == hasInline)
        {
            throw new BuildInputInvalid("Give exactly one of 'template' (s3://bucket/key) and 'buildFile' (the build file as a JSON object).");
        }

        if (hasInline && input.BuildFile!.Value.ValueKind != JsonValueKind.Object)
        {
            throw new BuildInputInvalid($"'buildFile' must be a JSON object (the build file itself), not a {input.BuildFile.Value.ValueKind.ToString().ToLowerInvariant()}.");
        }

        string? bucket = null, key = null;
        if (hasTemplate)
        {
            (bucket, key) = ParseS3Uri(input.Template!);
            if (!key.StartsWith(BuildsPrefix, StringComparison.Ordinal))
            {
                // Anything outside builds/ (the staging area, inline builds, manifests) is no build's to read.
                throw new BuildInputInvalid(
                    $"'template' must name a build file under {BuildsPrefix} (s3://{bucket}/{BuildsPrefix}NAME/NAME.json), got '{input.Template}'.");
            }
        }

        if (input.BuildId is not null && !BuildIds.IsValidExplicit(input.BuildId))
        {
            throw new BuildInputInvalid(
                $"'buildId' '{input.BuildId}' is not valid: use 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit.");
        }

        var scheduledTime = ParseTime(input.ScheduledTime, "scheduledTime");
        return new BuildRequest
        {
            Kind = scheduledTime is not null && hasTemplate ? TriggerKind.Schedule : TriggerKind.Console,
            Bucket = bucket,
            Key = key,
            InlineBuildFile = hasInline ? input.BuildFile!.Value.Clone() : null,
            Vars = ToVars(input.Vars),
            Only = input.Only ?? [],
            Except = input.Except ?? [],
            ExplicitBuildId = input.BuildId,
            ScheduledTime = scheduledTime,
            Settings = input.Bakery is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } settings ? settings.Clone() : null,
        };
    }

    private static BuildRequest FromResumeInput(JsonElement raw, BuildTriggerInput input)
    {
        if (input.Resume is not { } buildId || !BuildIds.IsValidExplicit(buildId))
        {
            throw new BuildInputInvalid(
                $"'resume' must be the id of a failed build (as `bakery builds` lists it: letters, digits, '-', '_', '.'), got {raw.GetProperty("resume").GetRawText()}.");
        }

        var others = raw.EnumerateObject().Select(p => p.Name).Where(name => name is not ("resume" or "vars" or "bakery")).ToList();
        if (others.Count > 0)
        {
            // The build file and its builders are the failed build's own: a resume continues that build.
            throw new BuildInputInvalid(
                $"A resume takes only 'resume', 'vars' and 'bakery' (the variables and Bakery settings the console passed to the failed build, " +
                $"which are not kept); remove {string.Join(", ", others.Select(name => $"'{name}'"))}.");
        }

        return new BuildRequest
        {
            Kind = TriggerKind.Console,
            Vars = ToVars(input.Vars),
            ExplicitBuildId = buildId,
            ResumeBuildId = buildId,
            Settings = input.Bakery is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } settings ? settings.Clone() : null,
        };
    }

    private const string BuildsPrefix = "builds/";

    /// <summary>Splits <c>s3://bucket/key</c>.</summary>
    public static (string Bucket, string Key) ParseS3Uri(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        const string scheme = "s3://";
        if (!uri.StartsWith(scheme, StringComparison.Ordinal))
        {
            throw new BuildInputInvalid($"'template' must be an s3://bucket/key URI, got '{uri}'.");
        }

        var rest = uri[scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1)
        {
            throw new BuildInputInvalid($"'template' must name a bucket and a key (s3://bucket/key), got '{uri}'.");
        }

        return (rest[..slash], rest[(slash + 1)..]);
    }

    private static Dictionary<string, string> ToVars(Dictionary<string, JsonElement>? vars)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in vars ?? [])
        {
            result[name] = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => throw new BuildInputInvalid(
                    $"'vars.{name}' is a JSON {value.ValueKind.ToString().ToLowerInvariant()}; variable values are strings (numbers and booleans are accepted)."),
            };
        }

        return result;
    }

    private static DateTimeOffset? ParseTime(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUniversalTime()
            : throw new BuildInputInvalid($"'{field}' '{text}' is not an ISO 8601 time.");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
