using Bakery.Core.Aws;

namespace Bakery.Core.Lifecycle;

/// <summary>The family's images split by <see cref="FamilyRetention.Plan"/>: the newest to keep, the older ones to act on.</summary>
public sealed record RetentionPlan(IReadOnlyList<ImageDescription> Kept, IReadOnlyList<ImageDescription> Retired);
