namespace Bakery.Local.Instances;

/// <summary>
/// The root filesystem an image with no local layers runs on: Debian trixie minbase made once by
/// <c>infra/local/base-image.sh</c> (curl, ca-certificates, sudo, tar, gzip), in the cache beside moto's.
/// </summary>
public sealed record BaseImage(string Name, string Description, string RootFilesystem)
{
    public const string DefaultName = "debian-trixie";

    public static BaseImage Default() => new(DefaultName, "Debian trixie",
        Path.Combine(LocalInstancePaths.CacheRoot(), "images", DefaultName, "rootfs"));

    public bool IsInstalled => File.Exists(Path.Combine(RootFilesystem, ".bakery-base-image"));
}
