namespace Bakery.BuildFiles.Settings;

/// <summary>
/// <c>publish_parameter</c>: the SSM parameter that names the newest AMI of a build, one per region the AMI lands in
/// (the build region and each of <c>ami_regions</c>), with the <c>aws:ec2:image</c> data type; each bake overwrites it,
/// and SSM keeps the earlier values as versions (docs/build-files.md).
/// </summary>
public sealed record PublishParameterSettings
{
    /// <summary>The parameter name as written, with <c>{{build_name}}</c> and <c>{{region}}</c> still in it (see <see cref="ParameterNames"/>).</summary>
    public required string Name { get; init; }
}
