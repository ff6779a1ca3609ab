namespace Bakery.BuildFiles.Settings;

/// <summary>What <c>lifecycle</c> does to an image of the family past the newest <c>keep</c>.</summary>
public enum LifecycleAction
{
    /// <summary>DeregisterImage, then DeleteSnapshot for each of its snapshots: the image and its storage are gone.</summary>
    Deregister,

    /// <summary>EnableImageDeprecation at once: the image stays launchable by id but drops out of listings.</summary>
    Deprecate,

    /// <summary>DisableImage: nobody can launch it until EnableImage; its snapshots are kept.</summary>
    Disable,
}
