using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Bakery.Testing.Moto;
using Bakery.Testing;

namespace Bakery.Integration.Tests.StandIn;

/// <summary>DynamoDB as the build ledger uses it: a table, a conditional claim, TTL.</summary>
[Collection(MotoCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class DynamoDbStandInTests(MotoFixture moto) : IAsyncLifetime
{
    private const string Table = "bakery-stand-in-builds";
    private readonly AmazonDynamoDBClient _dynamo = StandInClients.DynamoDb();

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        await _dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = Table,
            AttributeDefinitions = [new AttributeDefinition("buildId", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("buildId", KeyType.HASH)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });
    }

    public Task DisposeAsync()
    {
        _dynamo.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_conditional_claim_succeeds_once_and_then_fails_with_ConditionalCheckFailed()
    {
        await ClaimAsync("build-1");

        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => ClaimAsync("build-1"));

        var item = await _dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = Table,
            Key = new Dictionary<string, AttributeValue> { ["buildId"] = new("build-1") },
            ConsistentRead = true,
        });
        Assert.Equal("claimed", item.Item?["status"].S);
    }

    [Fact]
    public async Task A_conditional_update_of_the_status_checks_the_previous_value()
    {
        await ClaimAsync("build-2");

        await _dynamo.UpdateItemAsync(Transition("build-2", from: "claimed", to: "running"));

        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => _dynamo.UpdateItemAsync(Transition("build-2", from: "claimed", to: "failed")));
    }

    [Fact]
    public async Task Time_to_live_can_be_enabled()
    {
        await _dynamo.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = Table,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = "expiresAt", Enabled = true },
        });

        var ttl = await _dynamo.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = Table });

        Assert.Equal(TimeToLiveStatus.ENABLED, ttl.TimeToLiveDescription.TimeToLiveStatus);
    }

    private Task<PutItemResponse> ClaimAsync(string buildId) => _dynamo.PutItemAsync(new PutItemRequest
    {
        TableName = Table,
        Item = new Dictionary<string, AttributeValue> { ["buildId"] = new(buildId), ["status"] = new("claimed") },
        ConditionExpression = "attribute_not_exists(buildId)",
    });

    private static UpdateItemRequest Transition(string buildId, string from, string to) => new()
    {
        TableName = Table,
        Key = new Dictionary<string, AttributeValue> { ["buildId"] = new(buildId) },
        UpdateExpression = "SET #status = :to",
        ConditionExpression = "#status = :from",
        ExpressionAttributeNames = new Dictionary<string, string> { ["#status"] = "status" },
        ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":from"] = new(from), [":to"] = new(to) },
    };
}
