using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.BuildFiles.Model;
using Bakery.Core.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Core.Tests.Steps;

/// <summary>States shaped like what Prepare hands the steps for the seed example (examples/nginx).</summary>
internal static class StepTestStates
{
    public const string Bucket = "bakery-test-bucket";
    public const string Prefix = "staging/build-1/";

    public static BakeryConfiguration Configuration { get; } = new() { Bucket = Bucket, LedgerTable = "ledger", InstanceProfile = "bakery-builder" };

    public static BakeState Nginx(params Provisioner[] provisioners) => new()
    {
        BuildId = "build-1",
        Source = new BuildSource { Bucket = Bucket, Key = "builds/nginx/my_test_build.json", Prefix = "builds/nginx/" },
        StagingPrefix = Prefix,
        Build = new BuildPlan
        {
            Builder = new AmazonEbsBuilder
            {
                Name = "amazon-ebs",
                Region = "us-east-1",
                SourceAmi = "ami-cd0f5cb6",
                InstanceType = "m3.large",
                AmiName = "packer.my_test_machine.1700000000",
                AssociatePublicIpAddress = true,
                Tags = new Dictionary<string, string> { ["Name"] = "packer.my_test_machine.1700000000", ["source"] = "packer", ["base"] = "{{ .SourceAMI }}" },
            },
            Provisioners = provisioners.Length > 0
                ? provisioners
                : [new ShellProvisioner { Scripts = [new ScriptSource("packer_provision.sh", "packer_provision.sh")] }],
        },
    };

    public static AwsRetry Retry(int attempts = 4) => AwsRetry.Immediate(attempts);

    public static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

}
