using System.Text;
using BenchmarkDotNet.Attributes;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Steps;
using Bakery.Core.Tests.Steps;
using Bakery.Core.Tests.Steps.Fakes;

namespace Bakery.Benchmarks;

/// <summary>
/// Warm step latency (issue 8.2): one call of each step's own work on the seed example's state, against the in-memory
/// fakes of the unit tests (linked from tests/Bakery.Core.Tests/Steps), so no network time is in the figure. Each call
/// gets a fresh fake seeded the way the step finds AWS in a bake; <see cref="FakeAwsOnly"/> is that seeding alone.
/// </summary>
[MemoryDiagnoser]
public class StepBenchmarks
{
    private static readonly byte[] Script = Encoding.UTF8.GetBytes("set -x\napt update\napt -y install nginx\n");
    private readonly AwsRetry _retry = StepTestStates.Retry();
    private readonly TimeProvider _time = StepTestStates.Clock();
    private BakeState _nginx = null!;
    private BakeState _launched = null!;
    private BakeState _stopped = null!;
    private BakeState _imaged = null!;

    [GlobalSetup]
    public void Setup()
    {
        _nginx = StepTestStates.Nginx();
        _launched = _nginx with
        {
            Instance = new InstanceInfo { InstanceId = "i-1", State = "running", LaunchedAt = _time.GetUtcNow() },
            Created = new CreatedResources { InstanceIds = ["i-1"], SecurityGroupIds = ["sg-1"], StagedKeys = [$"{StepTestStates.Prefix}files/packer_provision.sh"] },
        };
        _stopped = _launched with { Instance = _launched.Instance! with { State = "stopped" } };
        _imaged = _stopped with
        {
            Image = new ImageInfo { ImageId = "ami-1", Name = "packer.my_test_machine.1700000000", Region = "us-east-1", SnapshotIds = ["snap-1"] },
            Created = _stopped.Created with { Images = ["us-east-1:ami-1"] },
        };
    }

    [Benchmark(Baseline = true)]
    public object FakeAwsOnly() => Seeded("running");

    [Benchmark]
    public Task<BakeState> Launch() => new LaunchStep(Seeded("running"), StepTestStates.Configuration, _retry, _time).RunAsync(_nginx, CancellationToken.None);

    [Benchmark]
    public Task<BakeState> WaitForInstance() => new WaitForInstanceStep(Seeded("running"), _retry, _time).RunAsync(_launched, CancellationToken.None);

    [Benchmark]
    public Task<BakeState> Provision() => new ProvisionStep(Seeded("running"), _retry, _time).RunAsync(_launched, CancellationToken.None);

    [Benchmark]
    public Task<BakeState> StopInstance() => new StopInstanceStep(Seeded("running"), _retry).RunAsync(_launched, CancellationToken.None);

    [Benchmark]
    public Task<BakeState> CreateImage() => new CreateImageStep(Seeded("stopped"), _retry).RunAsync(_stopped, CancellationToken.None);

    [Benchmark]
    public Task<BakeState> TagImage() => new TagImageStep(Seeded("stopped"), _retry).RunAsync(_imaged, CancellationToken.None);

    [Benchmark]
    public Task<BakeState> CopyImage() => new CopyImageStep(Seeded("stopped"), _retry).RunAsync(_imaged, CancellationToken.None);

    [Benchmark]
    public Task<BakeState> ShareImage() => new ShareImageStep(Seeded("stopped"), _retry).RunAsync(_imaged, CancellationToken.None);

    [Benchmark]
    public Task<BakeState> Teardown() => new TeardownStep(Seeded("stopped"), _retry).RunAsync(_imaged, CancellationToken.None);

    /// <summary>AWS as the seed bake leaves it before the step: the instance, its group, the staged script, the AMI.</summary>
    private static FakeAws Seeded(string instanceState)
    {
        var aws = new FakeAws();
        aws.InstancesById["i-1"] = new InstanceDescription("i-1", instanceState);
        aws.Groups.Add("sg-1");
        aws.ImagesById["ami-1"] = new ImageDescription("ami-1", "available") { SnapshotIds = ["snap-1"] };
        aws.Snapshots.Add("snap-1");
        aws.Store.Objects[$"{StepTestStates.Bucket}/{StepTestStates.Prefix}files/packer_provision.sh"] = Script;
        return aws;
    }
}
