namespace Bakery.Local.Aws;

/// <summary>
/// One request the stand-in's proxy saw while recording, with what IAM would judge it by: who signed it, the
/// operation and its parameters, and the tags the EC2 resources it names carried just before it reached moto.
/// </summary>
public sealed record RecordedRequest
{
    /// <summary>The access key id of the SigV4 signature (see <see cref="Lambda.FunctionAccessKeys"/>).</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>The service of the credential scope: <c>ec2</c>, <c>s3</c>, <c>ssm</c>, <c>dynamodb</c>...</summary>
    public string? Service { get; init; }

    /// <summary>The region of the credential scope.</summary>
    public string? Region { get; init; }

    /// <summary>The Query API's <c>Action</c>, the JSON protocols' operation (after the <c>X-Amz-Target</c> dot), or null (S3).</summary>
    public string? Operation { get; init; }

    public required string Method { get; init; }

    /// <summary>The path as sent (S3: <c>/bucket/key</c>, still escaped).</summary>
    public required string Path { get; init; }

    /// <summary>Query string and, for Query API calls, form parameters (<c>TagSpecification.1.ResourceType</c>...).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>S3 CopyObject and UploadPartCopy: the <c>x-amz-copy-source</c> header (<c>bucket/key</c>, escaped), which S3 authorizes as s3:GetObject; else null.</summary>
    public string? CopySource { get; init; }

    /// <summary>The body of the JSON protocols (SSM, DynamoDB) and of S3 DeleteObjects (its XML list of keys), else null.</summary>
    public string? Body { get; init; }

    /// <summary>EC2 resource id → its tags in moto just before the request (only resources the request names).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ResourceTags { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>The HTTP status the caller got.</summary>
    public int Status { get; set; }
}
