using Bakery.Core.Aws;
using Bakery.Core.Bake;

namespace Bakery.Core.Steps.Internal;

/// <summary>What <see cref="CapacityFallback"/> got: the instance, the option it launched with, and every attempt in order.</summary>
public sealed record CapacityLaunch(InstanceDescription Instance, LaunchOption Option, IReadOnlyList<LaunchAttempt> Attempts)
{
    /// <summary>The instance as the bake state keeps it (Launch's builder, TestImage's test instance), launched at <paramref name="launchedAt"/>.</summary>
    public InstanceInfo ToInstanceInfo(DateTimeOffset launchedAt) => new()
    {
        InstanceId = Instance.InstanceId,
        State = Instance.State,
        AvailabilityZone = Instance.AvailabilityZone,
        PrivateIp = Instance.PrivateIp,
        LaunchedAt = launchedAt,
        InstanceType = Option.InstanceType,
        Spot = Option.Spot,
    };
}
