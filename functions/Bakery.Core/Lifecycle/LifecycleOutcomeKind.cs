namespace Bakery.Core.Lifecycle;

/// <summary>What the Lifecycle step did (or, on a dry run, would do) to one image.</summary>
public enum LifecycleOutcomeKind
{
    /// <summary>The new AMI: EnableImageDeprecation at the time in the detail.</summary>
    DeprecationScheduled,

    /// <summary>The new AMI: deregistration protection turned on.</summary>
    Protected,

    /// <summary>An older image of the family: deregistration protection turned off (protect_newest moves it).</summary>
    Unprotected,

    /// <summary>One of the family's newest <c>keep</c> images.</summary>
    Kept,

    Deregistered,
    Deprecated,
    Disabled,
    WouldDeregister,
    WouldDeprecate,
    WouldDisable,

    /// <summary>Past <c>keep</c>, but an instance or a launch template still needs it (the detail says which): left alone.</summary>
    InUse,

    /// <summary>Past <c>keep</c>, but its deregistration protection is on (and not Bakery's to lift): left alone.</summary>
    ProtectionOn,

    /// <summary>AWS refused or failed a call; the detail has its error. The build's result stands.</summary>
    Failed,
}
