using Bakery.Core.Aws;
using Bakery.Core.Bake;

namespace Bakery.Core.Steps.Internal;

/// <summary>What <see cref="CapacityFallback"/> got: the instance, the option it launched with, and every attempt in order.</summary>
public sealed record CapacityLaunch(InstanceDescription Instance, LaunchOption Option, IReadOnlyList<LaunchAttempt> Attempts);
