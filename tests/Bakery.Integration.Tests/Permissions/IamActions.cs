using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.S3.Model;

namespace Bakery.Integration.Tests.Permissions;

/// <summary>
/// Which IAM action an SDK request needs and which resource of the stack it touches. Most operations are their own
/// action (<c>ec2:RunInstances</c>, <c>ssm:SendCommand</c>, <c>dynamodb:UpdateItem</c>); S3 names several by the
/// object permission they check. An operation not listed here fails the test: add it with the action AWS documents.
/// </summary>
internal static class IamActions
{
    public const string Bucket = "${TemplatesBucket.Arn}";
    public const string Ledger = "${LedgerTable.Arn}";

    private static readonly Dictionary<string, string> S3Actions = new(StringComparer.Ordinal)
    {
        ["GetObject"] = "s3:GetObject",
        ["GetObjectMetadata"] = "s3:GetObject",
        ["PutObject"] = "s3:PutObject",
        ["ListObjectsV2"] = "s3:ListBucket",
        ["ListObjects"] = "s3:ListBucket",
        ["DeleteObject"] = "s3:DeleteObject",
        ["DeleteObjects"] = "s3:DeleteObject",
        // CopyObject and UploadPartCopy also need s3:GetObject on the source (AlsoFor); multipart calls are s3:PutObject.
        ["CopyObject"] = "s3:PutObject",
        ["CopyPart"] = "s3:PutObject",
        ["InitiateMultipartUpload"] = "s3:PutObject",
        ["CompleteMultipartUpload"] = "s3:PutObject",
        ["AbortMultipartUpload"] = "s3:AbortMultipartUpload",
    };

    // DynamoDB's batch and transaction calls are authorized per item action; none is used today.
    private static readonly HashSet<string> DynamoDbActions = new(StringComparer.Ordinal)
    {
        "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan",
    };

    public static (string Action, IReadOnlyList<string> Resources) For(AmazonWebServiceRequest request)
    {
        var type = request.GetType();
        var operation = OperationOf(request);
        return type.Namespace switch
        {
            "Amazon.EC2.Model" => ($"ec2:{operation}", []),
            "Amazon.SimpleSystemsManagement.Model" => ($"ssm:{operation}", []),
            "Amazon.S3.Model" => S3(request, operation),
            "Amazon.DynamoDBv2.Model" => DynamoDb(request, operation),
            _ => throw new InvalidOperationException($"No IAM mapping for {type.FullName}: add its service to {nameof(IamActions)}."),
        };
    }

    /// <summary>What a request needs besides <see cref="For"/>: a copy reads its source (s3:GetObject, as S3 authorizes it).</summary>
    public static IEnumerable<(string Action, IReadOnlyList<string> Resources)> AlsoFor(AmazonWebServiceRequest request) => request switch
    {
        CopyObjectRequest copy => [("s3:GetObject", [$"{Bucket}/{copy.SourceKey}"])],
        CopyPartRequest part => [("s3:GetObject", [$"{Bucket}/{part.SourceKey}"])],
        _ => [],
    };

    public static string OperationOf(AmazonWebServiceRequest request)
    {
        var name = request.GetType().Name;
        return name.EndsWith("Request", StringComparison.Ordinal) ? name[..^"Request".Length] : name;
    }

    private static (string, IReadOnlyList<string>) S3(AmazonWebServiceRequest request, string operation)
    {
        if (!S3Actions.TryGetValue(operation, out var action))
        {
            throw new InvalidOperationException($"No IAM mapping for S3 {operation}: add it to {nameof(IamActions)}.");
        }

        IReadOnlyList<string> resources = request switch
        {
            GetObjectRequest get => [$"{Bucket}/{get.Key}"],
            GetObjectMetadataRequest head => [$"{Bucket}/{head.Key}"],
            PutObjectRequest put => [$"{Bucket}/{put.Key}"],
            CopyObjectRequest copy => [$"{Bucket}/{copy.DestinationKey}"],
            CopyPartRequest part => [$"{Bucket}/{part.DestinationKey}"],
            InitiateMultipartUploadRequest initiate => [$"{Bucket}/{initiate.Key}"],
            CompleteMultipartUploadRequest complete => [$"{Bucket}/{complete.Key}"],
            AbortMultipartUploadRequest abort => [$"{Bucket}/{abort.Key}"],
            DeleteObjectRequest delete => [$"{Bucket}/{delete.Key}"],
            DeleteObjectsRequest deletes => [.. deletes.Objects.Select(o => $"{Bucket}/{o.Key}")],
            _ => [Bucket],
        };
        if (request is GetObjectRequest { VersionId.Length: > 0 })
        {
            action = "s3:GetObjectVersion";
        }

        return (action, resources);
    }

    private static (string, IReadOnlyList<string>) DynamoDb(AmazonWebServiceRequest request, string operation)
    {
        if (!DynamoDbActions.Contains(operation))
        {
            throw new InvalidOperationException($"No IAM mapping for DynamoDB {operation}: add it to {nameof(IamActions)}.");
        }

        var index = request switch
        {
            QueryRequest query => query.IndexName,
            ScanRequest scan => scan.IndexName,
            _ => null,
        };
        return ($"dynamodb:{operation}", [index is { Length: > 0 } ? $"{Ledger}/index/{index}" : Ledger]);
    }
}
