using System.Text.Json;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Serialization;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// Keeps a build inside Step Functions' payload limit (<see cref="AwsLimits.StatePayloadBytes"/>). The largest state of
/// an execution is the one after the Map: Prepare's state, which lists every build, plus <c>$.results</c>, every build
/// again as it finished. Prepare measures that state before anything is launched, with each finished build grown by
/// the most the later steps may add (output tails at their byte caps, a failure's cause, an instance, images, timings).
/// </summary>
internal static class StateBudget
{
    /// <summary>The JSON-encoded bytes of a stored standard-output tail at most (ProvisionStep cuts its tails to these).</summary>
    public const int OutputTailBytes = 8 * 1024;

    /// <summary>The encoded bytes of a stored standard-error tail at most.</summary>
    public const int ErrorTailBytes = 4 * 1024;

    // Timings of every step, each wait loop extending its own entry.
    private const int StepsPerBuild = 12;

    public static int Measure(BakeState state) =>
        JsonSerializer.SerializeToUtf8Bytes(state, BakeryJsonContext.Default.BakeState).Length;

    /// <summary>The state after the Map when every build finishes with the largest additions the later steps make.</summary>
    public static BakeState WorstAfterMap(BakeState prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var builds = prepared.Builds ?? [];
        return prepared with { Results = [.. builds.Select(Finished)] };
    }

    /// <summary>Refuses a build whose worst state after the Map would not fit, naming the numbers.</summary>
    public static void EnsureFits(BakeState prepared, string buildFile)
    {
        var prepare = Measure(prepared);
        var worst = Measure(WorstAfterMap(prepared));
        if (worst > AwsLimits.StatePayloadBytes)
        {
            var builds = prepared.Builds?.Count ?? 0;
            throw new BuildFileInvalid(
                $"{buildFile}: too large for one execution: its state would reach {worst:N0} bytes after its {builds} build(s) finish " +
                $"({prepare:N0} bytes of plans, listed twice, plus up to {(worst - prepare * 2) / Math.Max(1, builds):N0} bytes of output and results each); " +
                $"Step Functions accepts {AwsLimits.StatePayloadBytes:N0}. Split the builders over several build files, or move long values into files.");
        }
    }

    private static BakeState Finished(BakeState build)
    {
        // Characters JSON writes as \uXXXX: 6 bytes each, the costliest output a script can print.
        var output = new string('\u0001', OutputTailBytes / 6);
        var error = new string('\u0001', ErrorTailBytes / 6);
        var region = build.Build?.Builder.Region ?? "us-east-1";
        var image = new ImageInfo { Region = region, ImageId = "ami-0123456789abcdef0", Name = build.Build?.Builder.AmiName, State = "available", SnapshotIds = ["snap-0123456789abcdef0"] };
        var copies = (build.Build?.Builder.AmiRegions ?? []).Select(copyRegion => image with { Region = copyRegion, CopiedFrom = image.ImageId }).ToList();
        var failure = new ProvisionerFailed(
            $"Provision: provisioners[{build.Build?.Provisioners.Count ?? 0}] (shell) ended Failed (Error) on i-0123456789abcdef0 after 1 attempt(s), command 00000000-0000-0000-0000-000000000000",
            255, output, error);
        return build with
        {
            Instance = new InstanceInfo { InstanceId = "i-0123456789abcdef0", State = "running", AvailabilityZone = region + "a", PrivateIp = "10.0.0.1", SsmReachable = true },
            Provisioning = new ProvisioningInfo { Index = 0, CommandId = "00000000-0000-0000-0000-000000000000", Status = "Failed", ExitCode = 255, OutputTail = output, ErrorTail = error },
            Image = image,
            Copies = copies,
            Wait = new WaitHint { Done = true },
            Error = new ErrorInfo { Error = nameof(ProvisionerFailed), Cause = $"{nameof(ProvisionerFailed)}: {failure.Message}" },
            Timings = [.. Enumerable.Range(0, StepsPerBuild).Select(_ => new StepTiming(StepNames.CreateImage, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch))],
        };
    }
}
