using Bakery.Core.Aws;

namespace Bakery.Core.Steps.Internal;

/// <summary>Deleting things that may already be gone: "not found" is success.</summary>
internal static class Cleanup
{
    public static readonly string[] GoneCodes =
    [
        "InvalidInstanceID.NotFound",
        "InvalidGroup.NotFound",
        "InvalidAMIID.NotFound",
        "InvalidAMIID.Unavailable",
        "InvalidSnapshot.NotFound",
        "NoSuchKey",
    ];

    /// <summary>Runs the delete; true when it removed something, false when it was already gone.</summary>
    public static async Task<bool> IgnoringGoneAsync(AwsRetry retry, string operation, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await retry.RunAsync(operation, call, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (AwsErrors.HasCode(error, GoneCodes))
        {
            return false;
        }
    }
}
