using Bakery.Local.StandIn;
using Amazon.EC2.Model;
using PutBucketRequest = Amazon.S3.Model.PutBucketRequest;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.BuildFiles.Model;
using Bakery.Core.Configuration;
using Bakery.Core.Steps;
using Bakery.Testing;
using Bakery.Testing.Moto;

namespace Bakery.Integration.Tests.Steps;

/// <summary>
/// Launch → WaitForInstance → Provision → StopInstance → CreateImage → TagImage → Teardown against the AWS stand-in
/// (moto, reached through the standard AWS_ENDPOINT_URL the fixture sets).
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(MotoCollection.Name)]
public class BakeSequenceTests(MotoFixture moto)
{
    [Fact]
    public async Task Seed_example_bakes_an_AMI_tagged_from_the_build_file_and_leaves_nothing_behind()
    {
        using var clients = new AwsClients();
        var aws = new SdkAwsServices(clients);
        var retry = AwsRetry.Immediate();
        var time = TimeProvider.System;
        var buildId = $"it-{Guid.NewGuid():N}";
        var bucket = $"bakery-it-{Guid.NewGuid():N}"[..40];
        var prefix = $"staging/{buildId}/";
        await clients.S3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        var script = await File.ReadAllBytesAsync(RepositoryPaths.Combine("examples", "nginx", "packer_provision.sh"));
        await aws.Objects.PutAsync(bucket, $"{prefix}files/packer_provision.sh", script, "text/x-shellscript", CancellationToken.None);

        var profile = $"bakery-builder-{buildId}";
        await StandInIam.CreateInstanceProfileAsync(moto.Endpoint, profile);
        var configuration = new BakeryConfiguration { Bucket = bucket, LedgerTable = "ledger", InstanceProfile = profile };
        var amiName = $"packer.my_test_machine.{buildId}";
        var state = new BakeState
        {
            BuildId = buildId,
            Source = new BuildSource { Bucket = bucket, Key = "builds/my_test_build.json", Prefix = "builds/" },
            StagingPrefix = prefix,
            // What Prepare records: Teardown removes this build's own staged keys, not the whole shared prefix.
            Created = new CreatedResources { StagedKeys = [$"{prefix}files/packer_provision.sh"] },
            Build = new BuildPlan
            {
                Builder = new AmazonEbsBuilder
                {
                    Name = "amazon-ebs",
                    Region = "us-east-1",
                    SourceAmi = "ami-cd0f5cb6",
                    InstanceType = "m3.large",
                    AssociatePublicIpAddress = true,
                    AmiName = amiName,
                    Tags = new Dictionary<string, string> { ["Name"] = amiName, ["source"] = "packer" },
                },
                Provisioners = [new ShellProvisioner { Scripts = [new ScriptSource("packer_provision.sh", "packer_provision.sh")] }],
            },
        };

        IBakeStep[] steps =
        [
            new LaunchStep(aws, configuration, retry, time), new WaitForInstanceStep(aws, retry, time), new ProvisionStep(aws, retry, time),
            new StopInstanceStep(aws, retry), new CreateImageStep(aws, retry), new TagImageStep(aws, retry),
            new TeardownStep(aws, retry),
        ];
        foreach (var step in steps)
        {
            for (var call = 0; ; call++)
            {
                state = await step.RunAsync(state, CancellationToken.None);
                if (state.Wait is { Done: true })
                {
                    break;
                }

                Assert.True(call < 20, $"{step.Name} kept waiting");
            }
        }

        var ec2 = clients.Ec2("us-east-1");
        var image = Assert.Single((await ec2.DescribeImagesAsync(new DescribeImagesRequest { Filters = [new Filter("name", [amiName])] })).Images);
        var imageTags = image.Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("packer", imageTags["source"]);
        Assert.Equal(amiName, imageTags["Name"]);
        Assert.Equal(buildId, imageTags["bakery:build-id"]);
        var snapshotId = Assert.Single(image.BlockDeviceMappings, m => m.Ebs?.SnapshotId is not null).Ebs.SnapshotId;
        var snapshot = Assert.Single((await ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = [snapshotId] })).Snapshots);
        Assert.Contains(snapshot.Tags, t => t.Key == "bakery:managed" && t.Value == "true");

        var instance = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [state.Removed!.InstanceIds.Single()] }))
            .Reservations.Single().Instances.Single();
        Assert.Equal("terminated", instance.State.Name.Value);
        var groups = await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Filter("tag:bakery:build-id", [buildId])] });
        Assert.Empty(groups.SecurityGroups ?? []);
        Assert.Empty(await aws.Objects.ListKeysAsync(bucket, prefix, CancellationToken.None));
        Assert.Equal(image.ImageId, state.Image!.ImageId);
    }
}
