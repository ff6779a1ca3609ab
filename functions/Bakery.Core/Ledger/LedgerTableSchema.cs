using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Bakery.Core.Ledger;

/// <summary>
/// The ledger table's shape (documented in docs/ledger.md; the SAM template creates the same table). Used to
/// create it on the local stand-in and in tests.
/// </summary>
public static class LedgerTableSchema
{
    /// <summary>Partition key (S): the build id.</summary>
    public const string BuildId = "buildId";
    /// <summary>TTL attribute (N, Unix seconds).</summary>
    public const string ExpiresAt = "expiresAt";
    /// <summary>The GSI that lists builds newest first: partition <see cref="Listing"/>, sort <see cref="CreatedAt"/>.</summary>
    public const string RecentIndex = "recent";
    /// <summary>GSI partition key (S): always <see cref="ListingValue"/>, so one Query reads builds in creation order.</summary>
    public const string Listing = "listing";
    public const string ListingValue = "build";
    /// <summary>GSI sort key (S): ISO 8601 UTC with milliseconds, which sorts as time.</summary>
    public const string CreatedAt = "createdAt";

    public const string Identity = "identity";
    public const string Source = "source";
    public const string Trigger = "trigger";
    public const string Status = "status";
    public const string Step = "step";
    public const string StepStatus = "stepStatus";
    public const string UpdatedAt = "updatedAt";
    public const string FinishedAt = "finishedAt";
    public const string Deadline = "deadline";
    public const string Images = "images";
    public const string ErrorName = "errorName";
    public const string ErrorCause = "errorCause";
    /// <summary>The execution that claimed the build (S, optional): the same execution may claim again.</summary>
    public const string ClaimToken = "claimToken";

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
