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
    public static string For(string buildId, string purpose) => Token("bakery-", $"{buildId}\n{purpose}");

    /// <summary>
    /// The token of the <paramref name="attempt"/>-th launch option: the first keeps the builder's own token; each later
    /// one has its own, so EC2 never sees one token with two different requests (IdempotentParameterMismatch) and a
    /// retried Launch presents the same token for the same type and market.
    /// </summary>
    public static string ForLaunch(string buildId, string builderName, LaunchOption option, int attempt) =>
        attempt == 0 ? For(buildId, builderName) : For(buildId, $"{builderName}\n{option.Market}\n{option.InstanceType}");

    /// <summary>
    /// The token of TestImage's <paramref name="attempt"/>-th launch option: apart from Launch's, so the test instance is
    /// never the builder instance; the first option's is stable for the build and builder, each later type has its own
    /// (test instances are on-demand only, so the market is not part of it).
    /// </summary>
    public static string ForTest(string buildId, string builderName, LaunchOption option, int attempt) =>
        Token("bakery-test-", attempt == 0 ? $"{buildId}\n{builderName}\ntest" : $"{buildId}\n{builderName}\n{option.InstanceType}\ntest");

    // A prefix of at most 16 characters and 48 hex digits of the seed's SHA-256: within EC2's 64 ASCII characters.
    private static string Token(string prefix, string seed) =>
        prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..48];
}
