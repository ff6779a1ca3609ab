using Amazon.Runtime;
using Bakery.BuildFiles.Model;
using Bakery.BuildFiles.Settings;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// The order Launch tries instance types and markets in, and the loop that moves to the next one only when EC2 answers
/// with a capacity error (<see cref="CapacityErrors"/>): the build file's types first (instance_type, or
/// spot_instance_types in the order written), then <c>capacity.fallback_instance_types</c>; with spot_price set, all of
/// them on spot, then (with <c>capacity.on_demand_fallback</c>) all of them on-demand. Kept apart from LaunchStep so
/// every launch of a builder-like instance can use it.
/// </summary>
public static class CapacityFallback
{
    /// <summary>The options to try, in order; never empty, no option twice.</summary>
    public static IReadOnlyList<LaunchOption> Options(AmazonEbsBuilder builder, CapacitySettings? capacity)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IEnumerable<string> own = builder.SpotInstanceTypes.Count > 0 ? builder.SpotInstanceTypes : [builder.InstanceType];
        var types = own.Concat(capacity?.FallbackInstanceTypes ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (builder.SpotPrice is not { } price)
        {
            return [.. types.Select(type => new LaunchOption(type, Spot: false, MaxPrice: null))];
        }

        // "auto": no MaxPrice, which EC2 takes as up to the on-demand price (RunInstances SpotMarketOptions.MaxPrice).
        var maxPrice = price == "auto" ? null : price;
        var spot = types.Select(type => new LaunchOption(type, Spot: true, maxPrice));
        var onDemand = capacity?.OnDemandFallback == true ? types.Select(type => new LaunchOption(type, Spot: false, MaxPrice: null)) : [];
        return [.. spot, .. onDemand];
    }

    /// <summary>
    /// Tries each option with <paramref name="launch"/> (given the option and its position) until one starts an instance.
    /// A capacity error moves on; any other error ends the loop as it is. When every option was refused for capacity,
    /// throws <see cref="LaunchFailed"/> naming each attempt and its error, from <paramref name="step"/>.
    /// </summary>
    public static async Task<CapacityLaunch> LaunchAsync(
        string builderName,
        IReadOnlyList<LaunchOption> options,
        Func<LaunchOption, int, CancellationToken, Task<InstanceDescription>> launch,
        CancellationToken cancellationToken,
        string step = "Launch")
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(launch);
        var attempts = new List<LaunchAttempt>(options.Count);
        for (var index = 0; index < options.Count; index++)
        {
            var option = options[index];
            try
            {
                var instance = await launch(option, index, cancellationToken).ConfigureAwait(false);
                attempts.Add(new LaunchAttempt { InstanceType = option.InstanceType, Market = option.Market, InstanceId = instance.InstanceId });
                return new CapacityLaunch(instance, option, attempts);
            }
            catch (AmazonServiceException error) when (CapacityErrors.IsCapacityRefusal(error))
            {
                attempts.Add(new LaunchAttempt { InstanceType = option.InstanceType, Market = option.Market, Error = $"{error.ErrorCode}: {error.Message}" });
            }
        }

        var tried = string.Join("; ", attempts.Select(a => $"{a.InstanceType} ({a.Market}): {a.Error}"));
        var hint = options.Count == 1
            ? " Name other types in capacity.fallback_instance_types (NAME.bakery.json) to try them next time."
            : " Add types to capacity.fallback_instance_types, or set capacity.on_demand_fallback after spot.";
        throw new LaunchFailed($"{step}: EC2 had no capacity for builder '{builderName}' after {attempts.Count} attempt(s): {tried}.{hint}");
    }
}
