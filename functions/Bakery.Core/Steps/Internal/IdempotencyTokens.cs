using System.Security.Cryptography;
using System.Text;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// The <c>ClientToken</c>s that make EC2's creating calls idempotent (RunInstances, CopyImage): derived from the build
/// and what is being made, so every retry of a step, and every retried call inside it, presents the same token and
/// EC2 answers with what the first call made.
/// </summary>
internal static class IdempotencyTokens
{
    /// <summary>
    /// Stable for one build and <paramref name="purpose"/> (a builder's name, or "builder/copy/region") and at most 64
    /// ASCII characters (EC2's limit).
    /// </summary>
    public static string For(string buildId, string purpose)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{buildId}\n{purpose}"));
        return "bakery-" + Convert.ToHexStringLower(hash)[..48];
    }

    /// <summary>
    /// The token of the <paramref name="attempt"/>-th launch option: the first keeps the builder's own token; each later
    /// one has its own, so EC2 never sees one token with two different requests (IdempotentParameterMismatch) and a
    /// retried Launch presents the same token for the same type and market.
    /// </summary>
    public static string ForLaunch(string buildId, string builderName, LaunchOption option, int attempt) =>
        attempt == 0 ? For(buildId, builderName) : For(buildId, $"{builderName}\n{option.Market}\n{option.InstanceType}");
}
