namespace Bakery.BuildFiles;

/// <summary>Why a symbolic link in a bundle cannot travel with the build.</summary>
public enum BundleLinkProblemKind
{
    /// <summary>It leads outside the folder tree the build uploads (e.g. to /etc/passwd or ~/.aws/credentials).</summary>
    LeadsOutside,
    /// <summary>It points to nothing.</summary>
    Dangling,
    /// <summary>It leads back to a folder that contains it.</summary>
    Loop,
}
