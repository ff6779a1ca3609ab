using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Bakery.Core.Ledger;
using static Bakery.Core.Ledger.LedgerAttributes;

namespace Bakery.Local.StandIn;

/// <summary>
/// Creates the ledger table on the stand-in (and in tests) as template.yaml's LedgerTable is on AWS: the shape of
/// docs/ledger.md. The deployed functions never create it.
/// </summary>
public static class LedgerTableSchema
{
    /// <summary>The CreateTable request for an on-demand table with the <see cref="RecentIndex"/> GSI.</summary>
    public static CreateTableRequest CreateTableRequest(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition(BuildId, ScalarAttributeType.S),
            new AttributeDefinition(Listing, ScalarAttributeType.S),
            new AttributeDefinition(CreatedAt, ScalarAttributeType.S),
        ],
        KeySchema = [new KeySchemaElement(BuildId, KeyType.HASH)],
        GlobalSecondaryIndexes =
        [
            new GlobalSecondaryIndex
            {
                IndexName = RecentIndex,
                KeySchema = [new KeySchemaElement(Listing, KeyType.HASH), new KeySchemaElement(CreatedAt, KeyType.RANGE)],
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            },
        ],
    };

    /// <summary>Creates the table and turns TTL on; an existing table is left as it is.</summary>
    public static async Task EnsureTableAsync(IAmazonDynamoDB dynamoDb, string tableName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dynamoDb);
        try
        {
            await dynamoDb.CreateTableAsync(CreateTableRequest(tableName), cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceInUseException)
        {
            return;
        }

        await dynamoDb.UpdateTimeToLiveAsync(
            new UpdateTimeToLiveRequest
            {
                TableName = tableName,
                TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = ExpiresAt, Enabled = true },
            },
            cancellationToken).ConfigureAwait(false);
    }
}
