using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.BuildFiles.Model;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps.Internal;
using BlockDeviceMapping = Bakery.BuildFiles.Model.BlockDeviceMapping;

namespace Bakery.Core.Steps;

/// <summary>
/// Starts the temporary builder instance the way Packer's amazon-ebs does, minus SSH: no key pair, no inbound
/// rules, IMDSv2, the builder instance profile so SSM can reach it. A ClientToken derived from the build makes a
/// retried Launch return the same instance instead of starting a second one. The instance, its volumes and its network
/// interface are tagged at launch (EC2 authorizes each against the policy's tag conditions); only the instance carries
/// bakery:role=builder.
/// </summary>
public sealed class LaunchStep(IAwsServices aws, BakeryConfiguration configuration, AwsRetry retry, TimeProvider time) : IBakeStep
{
    /// <summary>Packer's Name for the builder instance when run_tags has none.</summary>
    public const string DefaultInstanceName = "Packer Builder";

    public string Name => StepNames.Launch;

    public async Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var started = time.GetUtcNow();
        state.RequireBuild(Name);
        if (state.Instance is not null)
        {
            return state.Finished();
        }

        // Real values (user_data runs on the instance as given); only messages are masked.
        var (builder, redactor) = await RealPlans.ActingBuilderAsync(aws, retry, state, Name, cancellationToken).ConfigureAwait(false);

        var sourceImage = state.SourceImageId ?? builder.SourceAmi
            ?? throw new SourceImageNotFound($"Launch: builder '{builder.Name}' has no source image (source_ami or a resolved source_ami_filter).");
        var subnetId = builder.SubnetId ?? configuration.SubnetId;

        var groupIds = builder.SecurityGroupIds.ToList();
        string? temporaryGroupId = null;
        if (groupIds.Count == 0)
        {
            temporaryGroupId = await CreateTemporaryGroupAsync(state, builder, subnetId, cancellationToken).ConfigureAwait(false);
            groupIds.Add(temporaryGroupId);
            state = state with { Created = state.Created with { SecurityGroupIds = state.Created.SecurityGroupIds.Adding(temporaryGroupId) } };
        }

        var options = CapacityFallback.Options(builder, state.Settings?.Capacity);
        CapacityLaunch launched;
        try
        {
            launched = await new InstanceLauncher(aws, configuration, retry).LaunchAsync(
                builder,
                options,
                (option, index) => BuildRequest(state, builder, sourceImage, groupIds, option, index),
                Name,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is AmazonServiceException or AwsTransientError or LaunchFailed)
        {
            // The exception loses this state, so the workflow's Teardown would not know the group: remove it here.
            if (temporaryGroupId is not null)
            {
                await DeleteTemporaryGroupAsync(builder.Region, temporaryGroupId, cancellationToken).ConfigureAwait(false);
            }

            if (error is AmazonServiceException refused && !AwsErrors.IsTransient(refused))
            {
                throw new LaunchFailed(
                    redactor.Redact($"Launch: RunInstances refused for builder '{builder.Name}' ({sourceImage}, {builder.InstanceType}): {refused.ErrorCode}: {refused.Message}"), error);
            }

            if (error is LaunchFailed noCapacity)
            {
                throw new LaunchFailed(redactor.Redact(noCapacity.Message), error);
            }

            throw;
        }

        var instance = launched.Instance;
        return (state with
        {
            Instance = new InstanceInfo
            {
                InstanceId = instance.InstanceId,
                State = instance.State,
                AvailabilityZone = instance.AvailabilityZone,
                PrivateIp = instance.PrivateIp,
                LaunchedAt = time.GetUtcNow(),
                InstanceType = launched.Option.InstanceType,
                Spot = launched.Option.Spot,
            },
            LaunchAttempts = launched.Attempts,
            Created = state.Created with { InstanceIds = state.Created.InstanceIds.Adding(instance.InstanceId) },
            // This builder's budget counts from now: a fifth builder waits for a free slot in the Map.
            DeadlineEpochSeconds = state.Timings.Count > 0
                ? BuildDeadlines.FromLaunch(state.DeadlineEpochSeconds, state.Timings[0].Started, started)
                : state.DeadlineEpochSeconds,
        }).Finished();
    }

    /// <summary>The instance's tags: run_tags, the bakery tags, and the role tag only builder instances carry.</summary>
    private static Dictionary<string, string> BuilderInstanceTags(BakeState state, IReadOnlyDictionary<string, string> runTags)
    {
        var tags = state.TagsWithBakery(runTags);
        tags[StepStates.RoleTag] = StepStates.BuilderInstanceRole;
        return tags;
    }

    /// <summary>The temporary group's name: stable per build and builder so a retried Launch finds its own group.</summary>
    internal static string TemporaryGroupName(string buildId, string builderName) =>
        $"bakery_{IdempotencyTokens.For(buildId, builderName)[7..31]}";

    private async Task<string> CreateTemporaryGroupAsync(BakeState state, AmazonEbsBuilder builder, string? subnetId, CancellationToken cancellationToken)
    {
        var groups = aws.SecurityGroups(builder.Region);
        var name = TemporaryGroupName(state.BuildId, builder.Name);
        try
        {
            var existing = await retry.RunAsync("DescribeSecurityGroups", token => groups.FindAsync(name, state.BuildId, token), cancellationToken)
                .ConfigureAwait(false);
            if (existing is not null)
            {
                return existing;
            }

            var vpcId = builder.VpcId;
            if (vpcId is null && subnetId is not null)
            {
                vpcId = await retry.RunAsync("DescribeSubnets", token => groups.VpcOfSubnetAsync(subnetId, token), cancellationToken)
                    .ConfigureAwait(false);
            }

            var tags = state.BakeryTags();
            tags["Name"] = name;
            return await retry.RunAsync(
                "CreateSecurityGroup",
                token => groups.CreateAsync(name, $"Temporary group for Bakery build {state.BuildId}: no inbound rules", vpcId, tags, token),
                cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException error) when (!AwsErrors.IsTransient(error))
        {
            throw new LaunchFailed($"Launch: could not create the temporary security group: {error.ErrorCode}: {error.Message}", error);
        }
    }

    /// <summary>Best effort: a group that cannot go now (an instance started after all) keeps its tags for Teardown and the janitor.</summary>
    private async Task DeleteTemporaryGroupAsync(string region, string groupId, CancellationToken cancellationToken)
    {
        try
        {
            await Cleanup.IgnoringGoneAsync(retry, "DeleteSecurityGroup", token => aws.SecurityGroups(region).DeleteAsync(groupId, token), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception error) when (error is AmazonServiceException or AwsTransientError)
        {
            // The launch failure is what the workflow must hear about, not this.
        }
    }

    /// <summary>The builder's request: the launcher's, plus run_tags, user_data, launch block devices and shutdown behaviour.</summary>
    private RunInstancesRequest BuildRequest(
        BakeState state, AmazonEbsBuilder builder, string sourceImage, List<string> groupIds, LaunchOption option, int attempt)
    {
        var runTags = new Dictionary<string, string>(builder.RunTags, StringComparer.Ordinal);
        runTags.TryAdd("Name", DefaultInstanceName);
        var request = new InstanceLauncher(aws, configuration, retry).Request(
            builder, sourceImage, option, groupIds, BuilderInstanceTags(state, runTags), state.TagsWithBakery(builder.RunVolumeTags), state.BakeryTags(),
            IdempotencyTokens.ForLaunch(state.BuildId, builder.Name, option, attempt), state.TagsWithBakery(builder.SpotTags));
        request.InstanceInitiatedShutdownBehavior = builder.ShutdownBehavior is { } behavior ? ShutdownBehavior.FindValue(behavior) : null;
        request.UserData = builder.UserData is { Length: > 0 } userData ? Convert.ToBase64String(Encoding.UTF8.GetBytes(userData)) : null;
        request.BlockDeviceMappings = builder.LaunchBlockDeviceMappings.Count > 0 ? [.. builder.LaunchBlockDeviceMappings.Select(ToSdk)] : null;
        return request;
    }

    internal static Amazon.EC2.Model.BlockDeviceMapping ToSdk(BlockDeviceMapping mapping)
    {
        if (mapping.NoDevice)
        {
            return new Amazon.EC2.Model.BlockDeviceMapping { DeviceName = mapping.DeviceName, NoDevice = string.Empty };
        }

        if (mapping.VirtualName is { Length: > 0 } virtualName)
        {
            return new Amazon.EC2.Model.BlockDeviceMapping { DeviceName = mapping.DeviceName, VirtualName = virtualName };
        }

        return new Amazon.EC2.Model.BlockDeviceMapping
        {
            DeviceName = mapping.DeviceName,
            Ebs = new EbsBlockDevice
            {
                VolumeType = mapping.VolumeType is { } type ? VolumeType.FindValue(type) : null,
                VolumeSize = mapping.VolumeSize,
                Iops = mapping.Iops,
                Throughput = mapping.Throughput,
                DeleteOnTermination = mapping.DeleteOnTermination ?? true,
                Encrypted = mapping.Encrypted,
                KmsKeyId = mapping.KmsKeyId,
                SnapshotId = mapping.SnapshotId,
            },
        };
    }
}
