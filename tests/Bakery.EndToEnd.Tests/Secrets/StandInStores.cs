using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Bakery.Core.Ledger;

namespace Bakery.EndToEnd.Tests.Secrets;

/// <summary>Everything a bake can leave in moto, read back as (place, text) pairs for <see cref="SecretSearch"/>.</summary>
internal static class StandInStores
{
    /// <summary>Every item of the ledger table, each as its attribute names and values.</summary>
    public static async Task<IReadOnlyList<(string Place, string Text)>> LedgerItemsAsync(IAmazonDynamoDB dynamoDb, string table)
    {
        var items = new List<(string, string)>();
        Dictionary<string, AttributeValue>? next = null;
        do
        {
            var page = await dynamoDb.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = next });
            foreach (var item in page.Items ?? [])
            {
                var key = item.TryGetValue(LedgerAttributes.BuildId, out var id) ? Text(id) : "(no build id)";
                items.Add(($"ledger item {key}", string.Join("\n", item.Select(a => $"{a.Key}={Text(a.Value)}"))));
            }

            next = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (next is not null);

        return items;
    }

    /// <summary>
    /// Every version of every object in the bucket, deleted ones included (the bucket is versioned, so the staged
    /// files Teardown removed are still readable), as "key (version)" and content.
    /// </summary>
    public static async Task<IReadOnlyList<(string Key, string Place, string Text)>> ObjectVersionsAsync(IAmazonS3 s3, string bucket)
    {
        var objects = new List<(string, string, string)>();
        var versions = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket });
        foreach (var version in (versions.Versions ?? []).Where(v => v.IsDeleteMarker != true))
        {
            using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = version.Key, VersionId = version.VersionId });
            using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
            objects.Add((version.Key, $"s3://{bucket}/{version.Key} (version {version.VersionId})", await reader.ReadToEndAsync()));
        }

        return objects;
    }

    /// <summary>How <see cref="Ec2Async"/> names the place of an image's name: the name carries a sensitive ami_name by design.</summary>
    public const string ImageNamePlace = "EC2 image name";

    /// <summary>Every tag of every EC2 resource, and the names and descriptions of the account's own images.</summary>
    public static async Task<IReadOnlyList<(string Place, string Text)>> Ec2Async(IAmazonEC2 ec2)
    {
        var tags = await ec2.DescribeTagsAsync(new DescribeTagsRequest());
        var images = await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"] });
        return
        [
            .. (tags.Tags ?? []).Select(tag => ($"EC2 tag {tag.Key} of {tag.ResourceId}", tag.Value ?? "")),
            .. (images.Images ?? []).Select(image => ($"{ImageNamePlace} {image.ImageId}", image.Name ?? "")),
            .. (images.Images ?? []).Select(image => ($"EC2 image description {image.ImageId}", image.Description ?? "")),
        ];
    }

    /// <summary>Every Run Command moto has: its parameters (where a secret must travel) and the rest of it (comment, document, status details), apart.</summary>
    public static async Task<IReadOnlyList<(string CommandId, string Parameters, string Details)>> CommandsAsync(IAmazonSimpleSystemsManagement ssm)
    {
        var commands = await ssm.ListCommandsAsync(new ListCommandsRequest());
        return [.. (commands.Commands ?? []).Select(command => (
            command.CommandId,
            string.Join("\n", (command.Parameters ?? []).Select(p => $"{p.Key}:\n{string.Join("\n", p.Value)}")),
            $"{command.Comment}\n{command.DocumentName}\n{command.StatusDetails}"))];
    }

    /// <summary>The user data (decoded) of every instance tagged with <paramref name="buildId"/>.</summary>
    public static async Task<IReadOnlyList<string>> UserDataAsync(IAmazonEC2 ec2, string buildId)
    {
        var instances = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [new Amazon.EC2.Model.Filter("tag:bakery:build-id", [buildId])] });
        var userData = new List<string>();
        foreach (var instance in (instances.Reservations ?? []).SelectMany(r => r.Instances ?? []))
        {
            var attribute = await ec2.DescribeInstanceAttributeAsync(new DescribeInstanceAttributeRequest { InstanceId = instance.InstanceId, Attribute = InstanceAttributeName.UserData });
            userData.Add(Encoding.UTF8.GetString(Convert.FromBase64String(attribute.InstanceAttribute.UserData ?? "")));
        }

        return userData;
    }

    private static string Text(AttributeValue value) =>
        value.S ?? value.N ?? (value.M is { Count: > 0 } map ? "{" + string.Join(",", map.Select(p => $"{p.Key}={Text(p.Value)}")) + "}"
            : value.L is { Count: > 0 } list ? "[" + string.Join(",", list.Select(Text)) + "]"
            : value.SS is { Count: > 0 } set ? string.Join(",", set)
            : value.BOOL?.ToString() ?? "");
}
