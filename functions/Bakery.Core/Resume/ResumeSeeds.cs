using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Ledger;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Resume;

/// <summary>
/// Turns a builder's resume point and what EC2 says of its kept images into the state its resumed iteration starts
/// with: the image and copies it has (so CreateImage and the copies already made never run again), listed as created
/// (so a new failure holds or removes them like the first time), and where to start (<see cref="BakeState.Resume"/>).
/// </summary>
public static class ResumeSeeds
{
    /// <summary>
    /// Refuses (<see cref="ResumeRefused"/>) when a kept image is gone: the image itself must be available, a copy
    /// available or still pending (<see cref="KeptImageStates"/>, the same rule Teardown kept them by). <paramref name="described"/> holds EC2's answer per image, null when EC2 does not
    /// know it.
    /// </summary>
    public static void EnsureImagesThere(string buildId, ResumeBuilder point, IReadOnlyList<ImageDescription?> described)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(described);
        if (point.Images.Count == 0)
        {
            throw new ResumeRefused($"Build {buildId} cannot be resumed: builder '{point.Builder}' kept no image. Start the build again.");
        }

        for (var i = 0; i < point.Images.Count; i++)
        {
            var image = point.Images[i];
            var state = i < described.Count ? described[i]?.State : null;
            var usable = i == 0 ? KeptImageStates.IsUsableImage(state) : KeptImageStates.IsUsableCopy(state);
            if (!usable)
            {
                throw new ResumeRefused(
                    $"Build {buildId} cannot be resumed: {(i == 0 ? "the image" : "the copy")} {image.ImageId} of builder '{point.Builder}' in " +
                    $"{image.Region} is {(state is null ? "gone (EC2 does not know it)" : state)}, and a resume never makes an image again. " +
                    "Start the build again.");
            }
        }
    }

    /// <summary>The builder's state from Prepare, seeded to continue from <paramref name="point"/>.</summary>
    public static BakeState Seed(BakeState prepared, ResumeBuilder point, IReadOnlyList<ImageDescription> described)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(described);
        var images = point.Images.Select((image, i) => new ImageInfo
        {
            Region = image.Region,
            ImageId = image.ImageId,
            Name = described[i].Name,
            State = described[i].State,
            SnapshotIds = described[i].SnapshotIds,
            CopiedFrom = i == 0 ? null : StepStates.Regional(point.Images[0].Region, point.Images[0].ImageId),
        }).ToList();
        return prepared with
        {
            Image = images[0],
            Copies = images.Skip(1).ToList(),
            Created = prepared.Created with
            {
                Images = prepared.Created.Images.Adding(images.Select(image => StepStates.Regional(image.Region, image.ImageId))),
                Snapshots = prepared.Created.Snapshots.Adding(images.SelectMany(image => image.SnapshotIds.Select(id => StepStates.Regional(image.Region, id)))),
            },
            Resume = new ResumeInfo { From = point.From ?? throw new ArgumentException($"builder '{point.Builder}' has no resume point", nameof(point)) },
        };
    }
}
