namespace Bakery.Local.Aws;

/// <summary>One request that went through the <see cref="Ec2ThrottlingProxy"/>, as its log keeps it.</summary>
public sealed record ProxiedCall
{
    /// <summary>When the request arrived.</summary>
    public required DateTimeOffset Arrived { get; init; }

    /// <summary>When its answer (moto's, or the throttling error) was sent.</summary>
    public required DateTimeOffset Answered { get; init; }

    /// <summary>The service from the SigV4 credential scope (<c>ec2</c>, <c>s3</c>, <c>ssm</c>...); null when unsigned.</summary>
    public string? Service { get; init; }

    /// <summary>The operation: the Query API's <c>Action</c>, the JSON protocols' <c>X-Amz-Target</c>, else method and path.</summary>
    public required string Action { get; init; }

    /// <summary>True when the proxy answered <c>RequestLimitExceeded</c> instead of forwarding.</summary>
    public bool Throttled { get; init; }

    /// <summary>The HTTP status the caller got.</summary>
    public int Status { get; init; }

    /// <summary>
    /// What identifies the same call made again (an EC2 Query body without its signature): consecutive requests with
    /// the same key are attempts of one operation. Null for requests that are not EC2 Query calls.
    /// </summary>
    public string? CallKey { get; init; }

    /// <summary>The SDK's own attempt counter (<c>amz-sdk-request: attempt=N</c>), when the SDK sent it.</summary>
    public int? SdkAttempt { get; init; }

    /// <summary>The access key id of the SigV4 signature: under the local Lambda service it names the calling function (<see cref="Lambda.FunctionAccessKeys"/>).</summary>
    public string? AccessKeyId { get; init; }

    public bool IsEc2 => Service == "ec2";
}
