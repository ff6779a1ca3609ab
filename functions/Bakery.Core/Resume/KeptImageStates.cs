namespace Bakery.Core.Resume;

/// <summary>
/// Which EC2 image states a resume can continue from (docs/reliability.md, "Resuming a failed build"), in one place for
/// the two sides that ask: Teardown keeping a failed builder's images (<see cref="ResumePoints.HeldImages"/>) and the
/// resume checking they are still there (<see cref="ResumeSeeds.EnsureImagesThere"/>). Anything not kept here is
/// removed by Teardown and never accepted by a resume, so the two cannot disagree about an image.
/// </summary>
public static class KeptImageStates
{
    /// <summary>The builder's own image: only an available one (CreateImage waited for it), the point a resume starts after.</summary>
    public static bool IsUsableImage(string? state) => state == "available";

    /// <summary>
    /// A copy in another region: available, or still pending (the resumed CopyImage waits for it again). A failed,
    /// invalid, deregistered or otherwise unusable copy is made again by the resumed CopyImage.
    /// </summary>
    public static bool IsUsableCopy(string? state) => state is "available" or "pending";
}
