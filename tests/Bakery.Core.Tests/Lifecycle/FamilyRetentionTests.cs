using Bakery.BuildFiles.Settings;
using Bakery.Core.Aws;
using Bakery.Core.Lifecycle;

namespace Bakery.Core.Tests.Lifecycle;

/// <summary>Which images of a family stay and which go: newest by creation date, the build's own always kept, nothing in use touched.</summary>
public sealed class FamilyRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 30, TimeSpan.Zero);

    private static ImageDescription Image(string id, string created, string? deprecation = null, string? protection = null) =>
        new(id, "available") { CreationDate = created, DeprecationTime = deprecation, DeregistrationProtection = protection };

    [Fact]
    public void The_newest_keep_stay_and_the_older_ones_go_oldest_last()
    {
        ImageDescription[] family =
        [
            Image("ami-2", "2026-11-02T00:00:00.000Z"),
            Image("ami-4", "2026-12-04T11:00:00.000Z"),
            Image("ami-1", "2026-11-01T00:00:00.000Z"),
            Image("ami-3", "2026-11-03T00:00:00.000Z"),
        ];

        var plan = FamilyRetention.Plan(family, ["ami-4"], 2, LifecycleAction.Deregister, Now);

        Assert.Equal(["ami-4", "ami-3"], plan.Kept.Select(i => i.ImageId));
        Assert.Equal(["ami-2", "ami-1"], plan.Retired.Select(i => i.ImageId));
    }

    [Fact]
    public void The_builds_own_images_stay_even_when_listed_older_or_beyond_keep()
    {
        // A sibling builder of the same run shares the family: its image must not be taken for an old one.
        ImageDescription[] family =
        [
            Image("ami-new-a", "2026-12-04T11:00:00.000Z"),
            Image("ami-new-b", "2026-12-04T10:59:00.000Z"),
            Image("ami-old", "2026-12-05T00:00:00.000Z"),
        ];

        var plan = FamilyRetention.Plan(family, ["ami-new-a", "ami-new-b"], 1, LifecycleAction.Deregister, Now);

        Assert.Equal(["ami-new-a", "ami-new-b"], plan.Kept.Select(i => i.ImageId));
        Assert.Equal(["ami-old"], plan.Retired.Select(i => i.ImageId));
    }

    [Fact]
    public void A_family_within_keep_loses_nothing()
    {
        var plan = FamilyRetention.Plan([Image("ami-1", "2026-11-01T00:00:00Z"), Image("ami-2", "2026-11-02T00:00:00Z")], ["ami-2"], 2, LifecycleAction.Deregister, Now);

        Assert.Empty(plan.Retired);
        Assert.Equal(2, plan.Kept.Count);
    }

    [Fact]
    public void An_image_already_deprecated_needs_no_second_deprecation_but_is_still_retired_by_other_actions()
    {
        ImageDescription[] family = [Image("ami-new", "2026-12-04T11:00:00Z"), Image("ami-old", "2026-11-01T00:00:00Z", deprecation: "2026-11-20T00:00:00.000Z")];

        Assert.Empty(FamilyRetention.Plan(family, ["ami-new"], 1, LifecycleAction.Deprecate, Now).Retired);
        Assert.Single(FamilyRetention.Plan(family, ["ami-new"], 1, LifecycleAction.Deregister, Now).Retired);
        Assert.Single(FamilyRetention.Plan(family, ["ami-new"], 1, LifecycleAction.Disable, Now).Retired);
    }

    [Fact]
    public void An_image_deprecated_only_years_from_now_is_deprecated_now()
    {
        ImageDescription[] family = [Image("ami-new", "2026-12-04T11:00:00Z"), Image("ami-old", "2026-11-01T00:00:00Z", deprecation: "2029-01-01T00:00:00Z")];

        Assert.Equal("ami-old", Assert.Single(FamilyRetention.Plan(family, ["ami-new"], 1, LifecycleAction.Deprecate, Now).Retired).ImageId);
    }

    [Fact]
    public void An_image_in_use_is_exempt_and_every_user_is_named()
    {
        ImageDescription[] retired = [Image("ami-1", "2026-11-01T00:00:00Z"), Image("ami-2", "2026-11-02T00:00:00Z")];
        ImageUse[] uses =
        [
            new("ami-1", "instance i-0abc (running)"),
            new("ami-1", "launch template lt-0def (web) version 3"),
            new("ami-9", "instance i-0zzz (running)"),
        ];

        var exempt = FamilyRetention.Exemptions(retired, uses, LifecycleAction.Deregister, []);

        var (kind, why) = Assert.Single(exempt).Value;
        Assert.Equal(LifecycleOutcomeKind.InUse, kind);
        Assert.Equal("in use by instance i-0abc (running), launch template lt-0def (web) version 3", why);
    }

    [Fact]
    public void A_protected_image_is_exempt_from_deregistration_only_unless_its_protection_was_lifted()
    {
        ImageDescription[] retired = [Image("ami-1", "2026-11-01T00:00:00Z", protection: "enabled")];

        Assert.Equal(LifecycleOutcomeKind.ProtectionOn, FamilyRetention.Exemptions(retired, [], LifecycleAction.Deregister, [])["ami-1"].Kind);
        Assert.Empty(FamilyRetention.Exemptions(retired, [], LifecycleAction.Deregister, ["ami-1"]));
        Assert.Empty(FamilyRetention.Exemptions(retired, [], LifecycleAction.Disable, []));
        Assert.False(FamilyRetention.IsProtected(Image("ami-2", "2026-11-01T00:00:00Z", protection: "disabled")));
        Assert.True(FamilyRetention.IsProtected(Image("ami-2", "2026-11-01T00:00:00Z", protection: "enabled-with-cooldown until 2026-12-05T00:00:00Z")));
    }

    [Fact]
    public void Deprecating_now_is_a_whole_minute_in_the_future_as_EnableImageDeprecation_requires()
    {
        var at = FamilyRetention.DeprecateNow(Now);

        Assert.True(at > Now.AddMinutes(1));
        Assert.Equal(0, at.Second);
    }
}
