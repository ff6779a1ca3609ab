using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Ledger;

namespace Bakery.Core.Resume;

/// <summary>
/// Which failed builders can be resumed and what the ledger keeps for them (docs/reliability.md, "Resuming a failed
/// build"). A builder can continue only from a point where nothing it needs is gone: once its image exists. Every
/// failure runs Teardown, which terminates the instance, so a builder that failed before CreateImage finished has
/// nothing to continue from and must start again; one that failed after (TagImage, CopyImage, ShareImage,
/// PublishParameter) has its image, which Teardown then keeps (for <see cref="DefaultHold"/>) instead of deregistering.
/// TestImage sits between: a failed test is a verdict on the image (it is deregistered, or handed over tagged
/// <c>bakery:tested=false</c>), so nothing is kept and a resume is refused; a test that could not run (no verdict: the
/// test instance did not launch or answer, a timeout) leaves an untested image, kept to be tested again
/// (<see cref="ResumeInfo.FromTestImage"/>): a resume never skips the test.
/// </summary>
public static class ResumePoints
{
    /// <summary>How long a failed build's images are kept for a resume; the janitor removes them after.</summary>
    public static readonly TimeSpan DefaultHold = TimeSpan.FromDays(3);

    /// <summary>
    /// The error a build interrupted on purpose gets (<c>bakery build</c>, Ctrl-C, <c>-on-error=cleanup</c>): its owner
    /// asked for everything to go, so nothing is kept for a resume.
    /// </summary>
    public const string InterruptedError = "Interrupted";

    /// <summary>
    /// True when Teardown should keep the failed builder's images for a resume: the image is available and no test
    /// judged it bad.
    /// </summary>
    public static bool CanHold(BakeState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Error is { } error
            && error.Error != InterruptedError
            && error.Error != nameof(ImageTestFailed)
            && state.Test is not { Passed: false }
            && state.Build is not null
            && state.Image is { } image && KeptImageStates.IsUsableImage(image.State);
    }

    /// <summary>
    /// Where a held builder continues: TestImage when its build tests images and the test gave no passing verdict yet,
    /// TagImage otherwise.
    /// </summary>
    public static string ResumeFrom(BakeState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Settings?.TestImage is not null && state.Test is not { Passed: true } ? ResumeInfo.FromTestImage : ResumeInfo.FromTagImage;
    }

    /// <summary>True for the points a builder continues from with a kept image.</summary>
    public static bool IsHeld(string? from) => from is ResumeInfo.FromTagImage or ResumeInfo.FromTestImage;

    /// <summary>
    /// The images ("region:ami-id") a held builder keeps: its image and every copy a resume can use
    /// (<see cref="KeptImageStates.IsUsableCopy"/>; a pending copy stays: the resumed CopyImage checks it again). Anything
    /// else the build made (a failed copy, a copy no state recorded) goes.
    /// </summary>
    public static IReadOnlyList<string> HeldImages(BakeState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Image is not { } image)
        {
            return [];
        }

        return [$"{image.Region}:{image.ImageId}", .. state.Copies.Where(copy => KeptImageStates.IsUsableCopy(copy.State)).Select(copy => $"{copy.Region}:{copy.ImageId}")];
    }

    /// <summary>
    /// What a failed build keeps for a resume: every builder's point (finished ones as <see cref="ResumeInfo.Done"/>,
    /// held ones from <see cref="ResumeInfo.FromTestImage"/> or <see cref="ResumeInfo.FromTagImage"/>, the others with the reason they cannot continue). Null when
    /// no builder was held: then nothing is kept and a resume is refused with the build's own error.
    /// </summary>
    public static ResumeHold? ForFailedBuild(IReadOnlyList<BakeState> results, DateTimeOffset now, TimeSpan hold)
    {
        ArgumentNullException.ThrowIfNull(results);
        var builders = results.Where(result => result.Build is not null).Select(PointOf).ToList();
        if (!builders.Any(builder => IsHeld(builder.From)))
        {
            return null;
        }

        return new ResumeHold { UntilEpochSeconds = (now + hold).ToUnixTimeSeconds(), Builders = builders };
    }

    private static ResumeBuilder PointOf(BakeState result)
    {
        var name = result.Build!.Builder.Name;
        if (result.Error is null && result.Image is not null)
        {
            return new ResumeBuilder { Builder = name, From = ResumeInfo.Done, Images = ImagesOf(result, name) };
        }

        if (result.Error is not null && IsHeld(result.Resume?.From) && result.Image is not null)
        {
            var held = HeldImages(result).ToHashSet(StringComparer.Ordinal);
            return new ResumeBuilder
            {
                Builder = name,
                From = result.Resume!.From,
                Images = [.. ImagesOf(result, name).Where(image => held.Contains($"{image.Region}:{image.ImageId}"))],
            };
        }

        var error = result.Error is { } e ? $"{e.Error}: {Shorten(e.Cause)}" : "it finished without an image";
        return new ResumeBuilder
        {
            Builder = name,
            Reason = result.Image is null
                ? $"it failed before its image existed ({error}), and Teardown terminated its instance after the failure"
                : result.Test is { Passed: false } || result.Error?.Error == nameof(ImageTestFailed)
                    ? $"its image failed its test ({error}): a verdict on the image, which a resume would only publish; fix the build and start it again"
                    : $"it failed ({error}) and its image was not kept",
        };
    }

    private static IReadOnlyList<BuiltImage> ImagesOf(BakeState result, string builder) =>
        [.. new[] { result.Image! }.Concat(result.Copies).Select(image => new BuiltImage(builder, image.Region, image.ImageId))];

    private static string Shorten(string? cause)
    {
        const int Kept = 300;
        var text = (cause ?? "no cause given").ReplaceLineEndings(" ");
        return text.Length <= Kept ? text : text[..Kept] + "...";
    }
}
