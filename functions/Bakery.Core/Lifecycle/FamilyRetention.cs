using System.Globalization;
using Bakery.BuildFiles.Settings;
using Bakery.Core.Aws;

namespace Bakery.Core.Lifecycle;

/// <summary>
/// Which images of a family stay and which go: the pure part of the Lifecycle step, so every rule is a unit test.
/// The images this build made always stay (EC2 may list a tag a moment late, or a sibling builder sharing the family
/// may list it first); then the newest by creation date, up to <c>keep</c>.
/// </summary>
public static class FamilyRetention
{
    public static RetentionPlan Plan(
        IReadOnlyList<ImageDescription> family, IReadOnlyCollection<string> newImageIds, int keep, LifecycleAction action, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(newImageIds);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var ordered = family
            .DistinctBy(image => image.ImageId, StringComparer.Ordinal)
            .OrderByDescending(image => newImageIds.Contains(image.ImageId))
            .ThenByDescending(image => Created(image))
            .ThenByDescending(image => image.ImageId, StringComparer.Ordinal)
            .ToList();
        var kept = ordered.Where((image, index) => index < keep || newImageIds.Contains(image.ImageId)).ToList();
        var retired = ordered.Except(kept)
            .Where(image => !IsDone(image, action, now))
            .ToList();
        return new RetentionPlan(kept, retired);
    }

    /// <summary>
    /// The images of <paramref name="retired"/> that must be left alone, each with its reason: something still needs it
    /// (<paramref name="uses"/>), or its deregistration protection is on and the action is deregister.
    /// </summary>
    public static IReadOnlyDictionary<string, (LifecycleOutcomeKind Kind, string Why)> Exemptions(
        IReadOnlyList<ImageDescription> retired, IReadOnlyList<ImageUse> uses, LifecycleAction action, IReadOnlyCollection<string> unprotected)
    {
        ArgumentNullException.ThrowIfNull(retired);
        ArgumentNullException.ThrowIfNull(uses);
        ArgumentNullException.ThrowIfNull(unprotected);
        var exempt = new Dictionary<string, (LifecycleOutcomeKind, string)>(StringComparer.Ordinal);
        foreach (var image in retired)
        {
            var users = uses.Where(use => use.ImageId == image.ImageId).Select(use => use.By).Distinct(StringComparer.Ordinal).ToList();
            if (users.Count > 0)
            {
                exempt[image.ImageId] = (LifecycleOutcomeKind.InUse, $"in use by {string.Join(", ", users)}");
            }
            else if (action == LifecycleAction.Deregister && IsProtected(image) && !unprotected.Contains(image.ImageId))
            {
                exempt[image.ImageId] = (LifecycleOutcomeKind.ProtectionOn,
                    $"deregistration protection is {image.DeregistrationProtection}; turn it off (DisableImageDeregistrationProtection) to let it go");
            }
        }

        return exempt;
    }

    /// <summary>Whether EC2 says the image's deregistration protection is on (<c>enabled</c>, <c>enabled-with-cooldown</c>, with or without a date).</summary>
    public static bool IsProtected(ImageDescription image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image.DeregistrationProtection?.StartsWith("enabled", StringComparison.OrdinalIgnoreCase) == true;
    }

    /// <summary>
    /// The time to deprecate an image "now": EnableImageDeprecation refuses a time in the past and rounds to the
    /// minute, so the next whole minute after one from now.
    /// </summary>
    public static DateTimeOffset DeprecateNow(DateTimeOffset now)
    {
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        return minute.AddMinutes(2);
    }

    /// <summary>An image needs nothing more when the action is deprecate and EC2 already deprecates it by then.</summary>
    private static bool IsDone(ImageDescription image, LifecycleAction action, DateTimeOffset now) =>
        action == LifecycleAction.Deprecate
        && image.DeprecationTime is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
        && at <= DeprecateNow(now);

    private static DateTimeOffset Created(ImageDescription image) =>
        image.CreationDate is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
            ? created
            : DateTimeOffset.MinValue;
}
