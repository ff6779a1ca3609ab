using Microsoft.Extensions.Primitives;

namespace Bakery.Local.Aws;

/// <summary>One AWS API call passing the stand-in's proxy: the service, the action and the (small) request body.</summary>
public sealed record AwsCall
{
    /// <summary>ec2, ssm, s3...; null when the proxy could not tell.</summary>
    public string? Service { get; init; }

    /// <summary>The Query API Action, the JSON protocol's X-Amz-Target (e.g. <c>AmazonSSM.SendCommand</c>), or method and path.</summary>
    public required string Action { get; init; }

    /// <summary>The request body when the proxy read it (Query API forms and JSON protocol calls).</summary>
    public byte[]? Body { get; init; }

    /// <summary>The Query API form fields (EC2, IAM); empty for other calls.</summary>
    public IReadOnlyDictionary<string, StringValues> Form { get; init; } = new Dictionary<string, StringValues>();
}
