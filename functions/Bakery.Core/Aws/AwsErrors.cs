using System.Net;
using Amazon.Runtime;

namespace Bakery.Core.Aws;

/// <summary>Classifies AWS errors by their error code, the only stable part across services and SDK versions.</summary>
public static class AwsErrors
{
    /// <summary>Codes that mean "too fast" or "AWS had a bad moment": always worth another try.</summary>
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "RequestLimitExceeded",
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottled",
        "RequestThrottledException",
        "TooManyRequestsException",
        "SlowDown",
        "ProvisionedThroughputExceededException",
        "EC2ThrottledException",
        "InternalError",
        "InternalFailure",
        "InternalServerError",
        "InternalServerErrorException",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "Unavailable",
        "RequestTimeout",
        "RequestTimeoutException",
        "PriorRequestNotComplete",
    };

    /// <summary>True when <paramref name="exception"/> is an AWS error with exactly this code.</summary>
    public static bool HasCode(Exception exception, string code) =>
        exception is AmazonServiceException service && string.Equals(service.ErrorCode, code, StringComparison.Ordinal);

    /// <summary>True when <paramref name="exception"/> is an AWS error with any of these codes.</summary>
    public static bool HasCode(Exception exception, IEnumerable<string> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        return exception is AmazonServiceException { ErrorCode: { } code } && codes.Contains(code, StringComparer.Ordinal);
    }

    /// <summary>What failed, for a log line: the AWS error code, or the exception's type name for a network failure.</summary>
    public static string CodeOf(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception is AmazonServiceException { ErrorCode: { Length: > 0 } code } ? code : exception.GetType().Name;
    }

    /// <summary>
    /// True for throttling, AWS-side 5xx and network failures. Not for cancellation of our own token, which the
    /// caller asked for.
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            AmazonServiceException { ErrorCode: { } code } when TransientCodes.Contains(code) => true,
            // EC2 answers InsufficientInstanceCapacity with a 5xx, but seconds later the zone rarely has more: Launch
            // moves to the next type or market instead (Steps/Internal/CapacityErrors).
            AmazonServiceException error when Steps.Internal.CapacityErrors.IsCapacityRefusal(error) => false,
            AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError } => true,
            AmazonServiceException { StatusCode: HttpStatusCode.TooManyRequests } => true,
            AmazonServiceException => false,
            HttpRequestException or IOException => true,
            AmazonClientException { InnerException: HttpRequestException or IOException } => true,
            _ => false,
        };
    }
}
