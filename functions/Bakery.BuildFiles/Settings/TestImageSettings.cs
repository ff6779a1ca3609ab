using Bakery.BuildFiles.Model;

namespace Bakery.BuildFiles.Settings;

/// <summary>
/// <c>test_image</c>: after the AMI is created and before it is tagged, copied, shared or published, a fresh instance is
/// launched from it, these provisioners (Packer's shell and powershell syntax) run on it through SSM, and it is
/// terminated. A failed test fails the build; <see cref="OnFailure"/> says what becomes of the image
/// (docs/build-files.md, "Testing the new AMI").
/// </summary>
public sealed record TestImageSettings
{
    /// <summary>The test commands, bound exactly as a build file's provisioners (inline, script, scripts).</summary>
    public IReadOnlyList<Provisioner> Provisioners { get; set; } = [];

    /// <summary>What a failed test does to the image: <see cref="TestFailureActions.Deregister"/> (the default) or <see cref="TestFailureActions.Tag"/>.</summary>
    public string OnFailure { get; init; } = TestFailureActions.Deregister;

    /// <summary>The test instance's type; null: the builder's <c>instance_type</c>.</summary>
    public string? InstanceType { get; init; }
}
