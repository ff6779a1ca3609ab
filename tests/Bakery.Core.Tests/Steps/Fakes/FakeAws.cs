using Amazon.EC2.Model;
using Amazon.Runtime;
using Bakery.Core.Aws;

namespace Bakery.Core.Tests.Steps.Fakes;

/// <summary>
/// The one in-memory AWS of the unit tests (steps, Prepare, Lifecycle, the benchmarks): EC2, SSM, S3
/// (<see cref="Store"/>), EventBridge (<see cref="EventsApi"/>) and the image lifecycle calls (<see cref="Lifecycle"/>).
/// State is plain collections the tests inspect; <see cref="Faults"/> queues AWS errors per operation name to produce
/// what moto cannot (throttling, eventual consistency, ...).
/// </summary>
internal sealed class FakeAws : IAwsServices, IInstances, ISecurityGroups, IImages, ICommands
{
    public FakeAws() => Store = new InMemoryObjectStore(Enter);

    /// <summary>A fake whose EC2 already holds the EBS-backed source images the test build files pin.</summary>
    public static FakeAws WithSourceImages()
    {
        var aws = new FakeAws();
        aws.AddImage(new ImageDescription("ami-12345678", "available") { Name = "source/pinned-by-test-files", RootDeviceType = "ebs" });
        aws.AddImage(new ImageDescription("ami-cd0f5cb6", "available") { Name = "source/the-seed-example", RootDeviceType = "ebs" });
        return aws;
    }

    public Dictionary<string, InstanceDescription> InstancesById { get; } = [];
    public List<RunInstancesRequest> RunRequests { get; } = [];
    public Dictionary<string, string> ClientTokens { get; } = [];
    public HashSet<string> Groups { get; } = [];
    public Dictionary<string, ImageDescription> ImagesById { get; } = [];
    public HashSet<string> Snapshots { get; } = [];
    public Dictionary<string, Dictionary<string, string>> Tags { get; } = [];
    public List<CommandRequest> SentCommands { get; } = [];
    public Dictionary<string, Queue<CommandInvocation>> Invocations { get; } = [];
    public InMemoryObjectStore Store { get; }
    /// <summary>Every DescribeImages by id, in order.</summary>
    public List<string> DescribedImages { get; } = [];
    /// <summary>Every DescribeImages by filters, in order.</summary>
    public List<(IReadOnlyDictionary<string, IReadOnlyList<string>> Filters, IReadOnlyList<string> Owners)> ImageQueries { get; } = [];
    public Dictionary<string, Queue<Exception>> Faults { get; } = [];
    public Dictionary<string, int> Calls { get; } = [];
    /// <summary>Image operations in order, as "Operation region id": the one place this fake keeps regions apart.</summary>
    public List<string> ImageLog { get; } = [];
    private string imageRegion = "us-east-1";
    /// <summary>Status new images get; tests set "pending" then flip to "available" or "failed".</summary>
    public string NewImageState { get; set; } = "available";
    public string InstanceStateAfterStop { get; set; } = "stopped";
    public string InstanceStateAfterTerminate { get; set; } = "terminated";
    /// <summary>moto's behaviour: every RunInstances starts a new instance, whatever its ClientToken.</summary>
    public bool IgnoreClientToken { get; set; }
    private int counter;

    public void AddImage(ImageDescription image) => ImagesById[image.ImageId] = image;

    public static AmazonServiceException Error(string code) => new($"fake {code}") { ErrorCode = code };

    public void Fail(string operation, params string[] codes)
    {
        if (!Faults.TryGetValue(operation, out var queue))
        {
            Faults[operation] = queue = new Queue<Exception>();
        }

        foreach (var code in codes)
        {
            queue.Enqueue(Error(code));
        }
    }

    private void Enter(string operation)
    {
        Calls[operation] = Calls.GetValueOrDefault(operation) + 1;
        if (Faults.TryGetValue(operation, out var queue) && queue.Count > 0)
        {
            throw queue.Dequeue();
        }
    }

    private string NextId(string prefix) => $"{prefix}-{++counter:x8}";

    private bool HasTags(string id, IReadOnlyDictionary<string, string> tags) =>
        tags.Count == 0 || (Tags.TryGetValue(id, out var own) && tags.All(tag => own.TryGetValue(tag.Key, out var value) && value == tag.Value));

    private static Dictionary<string, string> TagsFor(List<TagSpecification>? specifications, string resourceType) =>
        (specifications ?? []).Where(s => s.ResourceType?.Value == resourceType).SelectMany(s => s.Tags ?? []).ToDictionary(t => t.Key, t => t.Value);

    public IInstances Instances(string region) => this;
    public ISecurityGroups SecurityGroups(string region) => this;
    public IImages Images(string region)
    {
        imageRegion = region;
        return this;
    }
    public ICommands Commands(string region) => this;

    /// <summary>Parameter Store is tested against moto (PublishParameter's end-to-end tests), not faked.</summary>
    public IParameters Parameters(string region) => throw new NotSupportedException();

    public ISecrets Secrets(string region) => throw new NotSupportedException();

    public RecordingEvents EventsApi { get; } = new();

    public IEvents Events => EventsApi;

    /// <summary>The Lifecycle step's calls, kept apart from the EC2 images above (the step sees only its own interface).</summary>
    public InMemoryImageLifecycle Lifecycle { get; } = new();

    public IImageLifecycle ImageLifecycle(string region) => Lifecycle;
    public IObjectStore Objects => Store;

    // EC2 instances
    public Task<InstanceDescription> RunAsync(RunInstancesRequest request, CancellationToken cancellationToken)
    {
        // Every request EC2 received, refused ones too (capacity fallback tests read each attempt's request).
        RunRequests.Add(request);
        Enter("RunInstances");
        if (IgnoreClientToken || !ClientTokens.TryGetValue(request.ClientToken, out var id))
        {
            id = NextId("i");
            ClientTokens[request.ClientToken] = id;
            InstancesById[id] = new InstanceDescription(id, "pending");
            Tags[id] = TagsFor(request.TagSpecifications, "instance");
        }

        return Task.FromResult(InstancesById[id]);
    }

    public Task<InstanceDescription> DescribeAsync(string instanceId, CancellationToken cancellationToken)
    {
        Enter("DescribeInstances");
        return InstancesById.TryGetValue(instanceId, out var instance)
            ? Task.FromResult(instance)
            : throw Error("InvalidInstanceID.NotFound");
    }

    public Task<IReadOnlyList<InstanceDescription>> FindTaggedAsync(IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        Enter("FindInstances");
        return Task.FromResult<IReadOnlyList<InstanceDescription>>(
            [.. InstancesById.Values.Where(i => i.State != "terminated" && HasTags(i.InstanceId, tags))]);
    }

    public Task StopAsync(string instanceId, CancellationToken cancellationToken)
    {
        Enter("StopInstances");
        InstancesById[instanceId] = InstancesById[instanceId] with { State = InstanceStateAfterStop };
        return Task.CompletedTask;
    }

    public Task TerminateAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
    {
        Enter("TerminateInstances");
        foreach (var id in instanceIds)
        {
            if (!InstancesById.ContainsKey(id))
            {
                throw Error("InvalidInstanceID.NotFound");
            }

            InstancesById[id] = InstancesById[id] with { State = InstanceStateAfterTerminate };
        }

        return Task.CompletedTask;
    }

    public Task SetNetworkingAsync(string instanceId, bool? enaSupport, bool? sriovSupport, CancellationToken cancellationToken)
    {
        Enter("ModifyInstanceAttribute");
        return Task.CompletedTask;
    }

    // Security groups
    public Task<string> CreateAsync(string name, string description, string? vpcId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        Enter("CreateSecurityGroup");
        var id = NextId("sg");
        Groups.Add(id);
        Tags[id] = new Dictionary<string, string>(tags);
        return Task.FromResult(id);
    }

    public Task DeleteAsync(string groupId, CancellationToken cancellationToken)
    {
        Enter("DeleteSecurityGroup");
        return Groups.Remove(groupId) ? Task.CompletedTask : throw Error("InvalidGroup.NotFound");
    }

    public Task<string?> FindAsync(string name, string buildId, CancellationToken cancellationToken)
    {
        Enter("DescribeSecurityGroups");
        return Task.FromResult(Groups.FirstOrDefault(id => HasTags(id, new Dictionary<string, string> { ["Name"] = name, ["bakery:build-id"] = buildId })));
    }

    Task<IReadOnlyList<string>> ISecurityGroups.FindTaggedAsync(IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        Enter("FindSecurityGroups");
        return Task.FromResult<IReadOnlyList<string>>([.. Groups.Where(id => HasTags(id, tags))]);
    }

    public Task<string?> VpcOfSubnetAsync(string subnetId, CancellationToken cancellationToken) => Task.FromResult<string?>("vpc-1");

    // Images
    public Task<string> CreateAsync(CreateImageRequest request, CancellationToken cancellationToken)
    {
        ImageLog.Add($"CreateImage {request.Name}");
        Enter("CreateImage");
        if (ImagesById.Values.Any(image => image.Name == request.Name))
        {
            throw Error("InvalidAMIName.Duplicate");
        }

        var id = NextId("ami");
        var snapshot = NextId("snap");
        Snapshots.Add(snapshot);
        ImagesById[id] = new ImageDescription(id, NewImageState) { Name = request.Name, SnapshotIds = [snapshot] };
        Tags[id] = TagsFor(request.TagSpecifications, "image");
        Tags[snapshot] = TagsFor(request.TagSpecifications, "snapshot");
        return Task.FromResult(id);
    }

    public Task<string> CopyAsync(CopyImageRequest request, CancellationToken cancellationToken)
    {
        Enter("CopyImage");
        var id = NextId("ami");
        var snapshot = NextId("snap");
        Snapshots.Add(snapshot);
        ImagesById[id] = new ImageDescription(id, NewImageState) { Name = request.Name, SnapshotIds = [snapshot] };
        Tags[id] = TagsFor(request.TagSpecifications, "image");
        Tags[snapshot] = TagsFor(request.TagSpecifications, "snapshot");
        return Task.FromResult(id);
    }

    Task<ImageDescription> IImages.DescribeAsync(string imageId, CancellationToken cancellationToken)
    {
        Enter("DescribeImages");
        DescribedImages.Add(imageId);
        return ImagesById.TryGetValue(imageId, out var image) ? Task.FromResult(image) : throw Error("InvalidAMIID.NotFound");
    }

    public Task<IReadOnlyList<ImageDescription>> FindAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>> filters, IReadOnlyList<string> owners, CancellationToken cancellationToken)
    {
        Enter("FindImages");
        ImageQueries.Add((filters, owners));
        ImageLog.Add($"FindImages {imageRegion} {string.Join(",", filters.GetValueOrDefault("name") ?? [])}");
        var names = filters.GetValueOrDefault("name");
        var tags = filters.Where(f => f.Key.StartsWith("tag:", StringComparison.Ordinal)).ToDictionary(f => f.Key[4..], f => f.Value.Single());
        // Filters: name (exact, or a prefix with a trailing '*') and tag:KEY; the others and owners are not modelled.
        return Task.FromResult<IReadOnlyList<ImageDescription>>(
            [.. ImagesById.Values.Where(i => (names is null || names.Any(name => NameMatches(name, i.Name))) && HasTags(i.ImageId, tags))]);
    }

    private static bool NameMatches(string filter, string? name) =>
        name is not null && (filter.EndsWith('*') ? name.StartsWith(filter[..^1], StringComparison.Ordinal) : name == filter);

    public Task<IReadOnlyList<string>> FindSnapshotsAsync(IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        Enter("FindSnapshots");
        return Task.FromResult<IReadOnlyList<string>>([.. Snapshots.Where(id => HasTags(id, tags))]);
    }

    public Task DeregisterAsync(string imageId, CancellationToken cancellationToken)
    {
        Enter("DeregisterImage");
        ImageLog.Add($"DeregisterImage {imageRegion} {imageId}");
        return ImagesById.Remove(imageId) ? Task.CompletedTask : throw Error("InvalidAMIID.NotFound");
    }

    public Task DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken)
    {
        Enter("DeleteSnapshot");
        ImageLog.Add($"DeleteSnapshot {imageRegion} {snapshotId}");
        return Snapshots.Remove(snapshotId) ? Task.CompletedTask : throw Error("InvalidSnapshot.NotFound");
    }

    public Task TagAsync(IReadOnlyList<string> resourceIds, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        Enter("CreateTags");
        foreach (var id in resourceIds)
        {
            var existing = Tags.TryGetValue(id, out var t) ? t : Tags[id] = [];
            foreach (var (k, v) in tags)
            {
                existing[k] = v;
            }
        }

        return Task.CompletedTask;
    }

    public Task AddLaunchPermissionAsync(string imageId, IReadOnlyList<string> userIds, IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        Enter("ModifyImageAttribute");
        return Task.CompletedTask;
    }

    public Task AddCreateVolumePermissionAsync(string snapshotId, IReadOnlyList<string> userIds, IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        Enter("ModifySnapshotAttribute");
        return Task.CompletedTask;
    }

    // SSM
    public Task<string> SendAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        Enter("SendCommand");
        SentCommands.Add(request);
        return Task.FromResult(NextId("cmd"));
    }

    /// <summary>Results are handed out in order across commands: queue them under "*" or per command id.</summary>
    public Task<CommandInvocation> GetInvocationAsync(string commandId, string instanceId, CancellationToken cancellationToken)
    {
        Enter("GetCommandInvocation");
        var queue = Invocations.TryGetValue(commandId, out var own) ? own : Invocations.GetValueOrDefault("*");
        var next = queue is { Count: > 0 } ? queue.Dequeue() : new CommandInvocation(commandId, "Success") { ExitCode = 0 };
        return Task.FromResult(next with { CommandId = commandId });
    }

    public void QueueInvocations(params CommandInvocation[] results)
    {
        if (!Invocations.TryGetValue("*", out var queue))
        {
            Invocations["*"] = queue = new Queue<CommandInvocation>();
        }

        foreach (var result in results)
        {
            queue.Enqueue(result);
        }
    }
}
