namespace Bakery.Core.Ledger;

/// <summary>Where a build is in its life. Claimed and Running are "live": the janitor leaves such a build alone until its deadline.</summary>
public enum BuildStatus
{
    Claimed,
    Running,
    Succeeded,
    Failed,
}
