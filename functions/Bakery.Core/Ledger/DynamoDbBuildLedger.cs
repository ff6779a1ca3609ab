using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Bakery.Core.Aws;
using Bakery.Core.Steps;
using S = Bakery.Core.Ledger.LedgerAttributes;

namespace Bakery.Core.Ledger;

/// <summary>
/// The ledger in one DynamoDB table (schema: <see cref="LedgerAttributes"/>, docs/ledger.md). The claim is a
/// conditional PutItem on the build id, which is derived from the trigger, so two deliveries of one trigger race for
/// one item and exactly one wins.
/// </summary>
public sealed class DynamoDbBuildLedger : IBuildLedger
{
    /// <summary>How long a record stays before DynamoDB's TTL removes it.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(90);

    /// <summary>Error causes can be long (a provisioner's output tail); the record keeps the end of it.</summary>
    private const int MaxCauseLength = 8_000;

    /// <summary>
    /// Warnings kept on a record at most, and characters of each: far below DynamoDB's 400 KB item limit
    /// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html), beside the error cause.
    /// </summary>
    private const int MaxWarnings = 50;
    private const int MaxWarningLength = 1_000;

    /// <summary>One refused launch attempt's EC2 message kept in the record (EC2's capacity messages are one sentence).</summary>
    private const int MaxAttemptErrorLength = 500;

    private static readonly Dictionary<string, string> StatusName = new() { ["#status"] = S.Status };

    private readonly IAmazonDynamoDB dynamoDb;
    private readonly string tableName;
    private readonly TimeProvider timeProvider;
    private readonly AwsRetry retry;
    private readonly TimeSpan retention;

    public DynamoDbBuildLedger(IAmazonDynamoDB dynamoDb, string tableName, TimeProvider timeProvider, AwsRetry retry, TimeSpan? retention = null)
    {
        ArgumentNullException.ThrowIfNull(dynamoDb);
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(retry);
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.timeProvider = timeProvider;
        this.retry = retry;
        this.retention = retention ?? DefaultRetention;
    }

    public async Task<bool> TryClaimAsync(BuildClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var now = timeProvider.GetUtcNow();
        var item = new Dictionary<string, AttributeValue>
        {
            [S.BuildId] = Str(claim.BuildId),
            [S.Listing] = Str(S.ListingValue),
            [S.CreatedAt] = Str(Format(now)),
            [S.UpdatedAt] = Str(Format(now)),
            [S.Identity] = Str(claim.Identity),
            [S.Source] = Str(claim.Source),
            [S.Trigger] = Str(claim.Trigger),
            [S.Status] = Str(nameof(BuildStatus.Claimed)),
            [S.Step] = Str(StepNames.Prepare),
            [S.StepStatus] = Str("started"),
            [S.Deadline] = Num(claim.DeadlineEpochSeconds),
            [S.ExpiresAt] = Num(ExpiresAt(now)),
        };
        var condition = $"attribute_not_exists({S.BuildId})";
        Dictionary<string, AttributeValue>? values = null;
        if (claim.ClaimToken is { Length: > 0 } claimToken)
        {
            // The same execution claiming again (its Prepare retried after the first answer was lost) wins again;
            // another execution of the same trigger still loses.
            item[S.ClaimToken] = Str(claimToken);
            condition += $" OR {S.ClaimToken} = :claimToken";
            values = new Dictionary<string, AttributeValue> { [":claimToken"] = Str(claimToken) };
        }

        try
        {
            await retry.RunAsync(
                "DynamoDB PutItem (claim)",
                token => dynamoDb.PutItemAsync(
                    new PutItemRequest
                    {
                        TableName = tableName,
                        Item = item,
                        ConditionExpression = condition,
                        ExpressionAttributeValues = values,
                    },
                    token),
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public async Task<bool> RecordStepAsync(string buildId, string step, string stepStatus, CancellationToken cancellationToken)
    {
        var now = Format(timeProvider.GetUtcNow());
        try
        {
            await UpdateAsync(
                buildId,
                $"SET #status = :running, {S.Step} = :step, {S.StepStatus} = :stepStatus, {S.UpdatedAt} = :now",
                $"attribute_exists({S.BuildId}) AND #status IN (:claimed, :running)",
                new Dictionary<string, AttributeValue>
                {
                    [":running"] = Str(nameof(BuildStatus.Running)),
                    [":claimed"] = Str(nameof(BuildStatus.Claimed)),
                    [":step"] = Str(step),
                    [":stepStatus"] = Str(stepStatus),
                    [":now"] = Str(now),
                },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public Task RecordWarningsAsync(string buildId, IReadOnlyList<string> warnings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        var kept = warnings.Take(MaxWarnings).Select(warning => warning.Length > MaxWarningLength ? warning[..MaxWarningLength] + "..." : warning).ToList();
        if (warnings.Count > MaxWarnings)
        {
            kept.Add($"... and {warnings.Count - MaxWarnings} more");
        }

        return UpdateAsync(
            buildId,
            $"SET {S.Warnings} = :warnings, {S.UpdatedAt} = :now",
            $"attribute_exists({S.BuildId})",
            new Dictionary<string, AttributeValue>
            {
                [":warnings"] = new() { L = [.. kept.Select(Str)] },
                [":now"] = Str(Format(timeProvider.GetUtcNow())),
            },
            cancellationToken);
    }

    public Task SetDeadlineAsync(string buildId, long deadlineEpochSeconds, CancellationToken cancellationToken) =>
        UpdateAsync(
            buildId,
            $"SET {S.Deadline} = :deadline, {S.UpdatedAt} = :now",
            $"attribute_exists({S.BuildId})",
            new Dictionary<string, AttributeValue>
            {
                [":deadline"] = Num(deadlineEpochSeconds),
                [":now"] = Str(Format(timeProvider.GetUtcNow())),
            },
            cancellationToken);

    public async Task<bool> ExtendDeadlineAsync(string buildId, long deadlineEpochSeconds, CancellationToken cancellationToken)
    {
        try
        {
            await UpdateAsync(
                buildId,
                $"SET {S.Deadline} = :deadline, {S.UpdatedAt} = :now",
                $"attribute_exists({S.BuildId}) AND #status IN (:claimed, :running) AND {S.Deadline} < :deadline",
                new Dictionary<string, AttributeValue>
                {
                    [":deadline"] = Num(deadlineEpochSeconds),
                    [":now"] = Str(Format(timeProvider.GetUtcNow())),
                    [":running"] = Str(nameof(BuildStatus.Running)),
                    [":claimed"] = Str(nameof(BuildStatus.Claimed)),
                },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public Task CompleteAsync(string buildId, IReadOnlyList<BuiltImage> images, CancellationToken cancellationToken) =>
        CompleteAsync(buildId, images, [], cancellationToken);

    public Task CompleteAsync(string buildId, IReadOnlyList<BuiltImage> images, IReadOnlyList<LedgerLaunchAttempt> launchAttempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(launchAttempts);
        var values = new Dictionary<string, AttributeValue> { [":images"] = ImageList(images) };
        var attemptsExpression = string.Empty;
        if (launchAttempts.Count > 0)
        {
            attemptsExpression = $", {S.LaunchAttempts} = :launchAttempts";
            values[":launchAttempts"] = AttemptList(launchAttempts);
        }

        return FinishAsync(
            buildId,
            BuildStatus.Succeeded,
            $", {S.Images} = :images{attemptsExpression} REMOVE {S.ErrorName}, {S.ErrorCause}, {S.Resume}, {S.ResumeUntil}",
            values,
            conditionExpression: null,
            cancellationToken);
    }

    private static AttributeValue AttemptList(IReadOnlyList<LedgerLaunchAttempt> attempts) => new()
    {
        L = attempts
            .Select(attempt =>
            {
                var entry = new Dictionary<string, AttributeValue>
                {
                    ["builder"] = Str(attempt.Builder),
                    ["instanceType"] = Str(attempt.InstanceType),
                    ["market"] = Str(attempt.Market),
                };
                if (attempt.InstanceId is { } instanceId)
                {
                    entry["instanceId"] = Str(instanceId);
                }

                if (attempt.Error is { } error)
                {
                    // EC2's message for one refused attempt; bounded like the cause so a long list cannot fill the item.
                    entry["error"] = Str(error.Length > MaxAttemptErrorLength ? error[..MaxAttemptErrorLength] + "..." : error);
                }

                return new AttributeValue { M = entry };
            })
            .ToList(),
    };

    public Task FailAsync(string buildId, string errorName, string? cause, CancellationToken cancellationToken) =>
        FailAsync(buildId, errorName, cause, [], cancellationToken);

    public Task FailAsync(string buildId, string errorName, string? cause, IReadOnlyList<BuiltImage> images, CancellationToken cancellationToken) =>
        FailWhenAsync(buildId, errorName, cause, images, onlyWhileLive: false, cancellationToken);

    public async Task<bool> TryFailAsync(string buildId, string errorName, string? cause, IReadOnlyList<BuiltImage> images, CancellationToken cancellationToken)
    {
        try
        {
            await FailWhenAsync(buildId, errorName, cause, images, onlyWhileLive: true, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private Task FailWhenAsync(
        string buildId, string errorName, string? cause, IReadOnlyList<BuiltImage> images, bool onlyWhileLive, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(errorName);
        ArgumentNullException.ThrowIfNull(images);
        cause ??= string.Empty;
        if (cause.Length > MaxCauseLength)
        {
            cause = "..." + cause[^MaxCauseLength..];
        }

        var values = new Dictionary<string, AttributeValue> { [":errorName"] = Str(errorName), [":errorCause"] = Str(cause) };
        string? conditionExpression = null;
        if (onlyWhileLive)
        {
            conditionExpression = $"attribute_exists({S.BuildId}) AND #status IN (:claimed, :running)";
            values[":claimed"] = Str(nameof(BuildStatus.Claimed));
            values[":running"] = Str(nameof(BuildStatus.Running));
        }

        // A failed build still lists the images its finished builders made: they are results, not leftovers.
        var imagesExpression = images.Count > 0 ? $", {S.Images} = :images" : string.Empty;
        if (images.Count > 0)
        {
            values[":images"] = ImageList(images);
        }

        return FinishAsync(
            buildId,
            BuildStatus.Failed,
            $", {S.ErrorName} = :errorName, {S.ErrorCause} = :errorCause{imagesExpression}",
            values,
            conditionExpression,
            cancellationToken);
    }

    public Task HoldForResumeAsync(string buildId, ResumeHold hold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hold);
        return UpdateAsync(
            buildId,
            $"SET {S.Resume} = :resume, {S.ResumeUntil} = :until, {S.UpdatedAt} = :now",
            $"attribute_exists({S.BuildId})",
            new Dictionary<string, AttributeValue>
            {
                [":resume"] = new()
                {
                    L = hold.Builders.Select(builder =>
                    {
                        var entry = new Dictionary<string, AttributeValue> { ["builder"] = Str(builder.Builder) };
                        if (builder.Images.Count > 0)
                        {
                            entry["images"] = ImageList(builder.Images);
                        }

                        if (builder.From is { } from)
                        {
                            entry["from"] = Str(from);
                        }

                        if (builder.Reason is { } reason)
                        {
                            entry["reason"] = Str(reason.Length > MaxCauseLength ? reason[..MaxCauseLength] : reason);
                        }

                        return new AttributeValue { M = entry };
                    }).ToList(),
                },
                [":until"] = Num(hold.UntilEpochSeconds),
                [":now"] = Str(Format(timeProvider.GetUtcNow())),
            },
            cancellationToken);
    }

    public async Task<bool> TryClaimForResumeAsync(string buildId, string? claimToken, long deadlineEpochSeconds, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var values = new Dictionary<string, AttributeValue>
        {
            [":claimed"] = Str(nameof(BuildStatus.Claimed)),
            [":failed"] = Str(nameof(BuildStatus.Failed)),
            [":nowSeconds"] = Num(now.ToUnixTimeSeconds()),
            [":deadline"] = Num(deadlineEpochSeconds),
            [":now"] = Str(Format(now)),
            [":step"] = Str("Prepare"),
            [":started"] = Str("started"),
        };
        var set = $"SET #status = :claimed, {S.Deadline} = :deadline, {S.UpdatedAt} = :now, {S.Step} = :step, {S.StepStatus} = :started";
        var remove = $"REMOVE {S.FinishedAt}, {S.ErrorName}, {S.ErrorCause}";
        // Only a failed build whose hold has not expired: two resumes of one build race for it and one wins.
        var condition = $"#status = :failed AND attribute_exists({S.Resume}) AND {S.ResumeUntil} > :nowSeconds";
        if (claimToken is { Length: > 0 })
        {
            values[":claimToken"] = Str(claimToken);
            set += $", {S.ClaimToken} = :claimToken";
            condition = $"({condition}) OR {S.ClaimToken} = :claimToken";
        }
        else
        {
            remove += $", {S.ClaimToken}";
        }

        var update = $"{set} {remove}";
        try
        {
            await UpdateAsync(buildId, update, condition, values, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private static AttributeValue ImageList(IReadOnlyList<BuiltImage> images) => new()
    {
        L = images
            .Select(image =>
            {
                var entry = new Dictionary<string, AttributeValue>
                {
                    ["builder"] = Str(image.Builder),
                    ["region"] = Str(image.Region),
                    ["imageId"] = Str(image.ImageId),
                };
                if (image.Tested is { } tested)
                {
                    entry["tested"] = Str(tested);
                }

                return new AttributeValue { M = entry };
            })
            .ToList(),
    };

    public async Task<BuildRecord?> GetAsync(string buildId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(buildId);
        var response = await retry.RunAsync(
            "DynamoDB GetItem",
            token => dynamoDb.GetItemAsync(
                new GetItemRequest { TableName = tableName, Key = Key(buildId), ConsistentRead = true },
                token),
            cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? ToRecord(item) : null;
    }

    public async Task<IReadOnlyList<BuildRecord>> ListRecentAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var records = new List<BuildRecord>();
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var request = new QueryRequest
            {
                TableName = tableName,
                IndexName = S.RecentIndex,
                KeyConditionExpression = $"{S.Listing} = :listing",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":listing"] = Str(S.ListingValue) },
                ScanIndexForward = false,
                Limit = limit - records.Count,
                ExclusiveStartKey = startKey,
            };
            var response = await retry.RunAsync("DynamoDB Query (recent)", token => dynamoDb.QueryAsync(request, token), cancellationToken)
                .ConfigureAwait(false);
            records.AddRange((response.Items ?? []).Select(ToRecord));
            startKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (startKey is not null && records.Count < limit);

        return records;
    }

    // Complete and Fail also work without a claim (e.g. a failure recorded for a build whose record expired), so they
    // fill in what a claim would have written instead of requiring the item; TryFail passes a condition instead.
    private async Task FinishAsync(
        string buildId,
        BuildStatus status,
        string extraExpression,
        Dictionary<string, AttributeValue> extraValues,
        string? conditionExpression,
        CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var values = new Dictionary<string, AttributeValue>(extraValues)
        {
            [":status"] = Str(status.ToString()),
            [":now"] = Str(Format(now)),
            [":listing"] = Str(S.ListingValue),
            [":expires"] = Num(ExpiresAt(now)),
        };
        await UpdateAsync(
            buildId,
            $"SET #status = :status, {S.UpdatedAt} = :now, {S.FinishedAt} = :now, {S.Listing} = :listing, " +
            $"{S.CreatedAt} = if_not_exists({S.CreatedAt}, :now), {S.ExpiresAt} = if_not_exists({S.ExpiresAt}, :expires)" +
            extraExpression,
            conditionExpression,
            values,
            cancellationToken).ConfigureAwait(false);
    }

    private Task UpdateAsync(
        string buildId,
        string updateExpression,
        string? conditionExpression,
        Dictionary<string, AttributeValue> values,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(buildId);
        return retry.RunAsync(
            "DynamoDB UpdateItem",
            token => dynamoDb.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = tableName,
                    Key = Key(buildId),
                    UpdateExpression = updateExpression,
                    ConditionExpression = conditionExpression,
                    // DynamoDB refuses names an expression does not use.
                    ExpressionAttributeNames = (updateExpression + conditionExpression).Contains("#status", StringComparison.Ordinal) ? StatusName : null,
                    ExpressionAttributeValues = values,
                },
                token),
            cancellationToken);
    }

    private long ExpiresAt(DateTimeOffset now) => (now + retention).ToUnixTimeSeconds();

    internal static BuildRecord ToRecord(Dictionary<string, AttributeValue> item) => new()
    {
        BuildId = GetString(item, S.BuildId) ?? string.Empty,
        Status = Enum.TryParse<BuildStatus>(GetString(item, S.Status), out var status) ? status : BuildStatus.Claimed,
        Identity = GetString(item, S.Identity),
        Source = GetString(item, S.Source),
        Trigger = GetString(item, S.Trigger),
        Step = GetString(item, S.Step),
        StepStatus = GetString(item, S.StepStatus),
        CreatedAt = ParseTime(GetString(item, S.CreatedAt)) ?? DateTimeOffset.UnixEpoch,
        UpdatedAt = ParseTime(GetString(item, S.UpdatedAt)) ?? DateTimeOffset.UnixEpoch,
        FinishedAt = ParseTime(GetString(item, S.FinishedAt)),
        DeadlineEpochSeconds = GetLong(item, S.Deadline),
        ExpiresAtEpochSeconds = GetLong(item, S.ExpiresAt),
        ErrorName = GetString(item, S.ErrorName),
        Warnings = item.TryGetValue(S.Warnings, out var warnings) && warnings.L is { } warningList
            ? [.. warningList.Where(entry => entry.S is not null).Select(entry => entry.S)]
            : [],
        ErrorCause = GetString(item, S.ErrorCause),
        Images = item.TryGetValue(S.Images, out var images) ? ToImages(images) : [],
        LaunchAttempts = item.TryGetValue(S.LaunchAttempts, out var attempts) && attempts.L is { } attemptList
            ? attemptList
                .Where(entry => entry.M is not null)
                .Select(entry => new LedgerLaunchAttempt(
                    GetString(entry.M, "builder") ?? string.Empty,
                    GetString(entry.M, "instanceType") ?? string.Empty,
                    GetString(entry.M, "market") ?? string.Empty,
                    GetString(entry.M, "instanceId"),
                    GetString(entry.M, "error")))
                .ToList()
            : [],
        Resume = item.TryGetValue(S.Resume, out var resume) && resume.L is { } points
            ? new ResumeHold
            {
                UntilEpochSeconds = GetLong(item, S.ResumeUntil),
                Builders = [.. points.Where(point => point.M is not null).Select(point => new ResumeBuilder
                {
                    Builder = GetString(point.M, "builder") ?? string.Empty,
                    From = GetString(point.M, "from"),
                    Reason = GetString(point.M, "reason"),
                    Images = point.M.TryGetValue("images", out var held) ? ToImages(held) : [],
                })],
            }
            : null,
    };

    private static List<BuiltImage> ToImages(AttributeValue list) =>
        list.L is { } entries
            ? entries
                .Where(entry => entry.M is not null)
                .Select(entry => new BuiltImage(
                    GetString(entry.M, "builder") ?? string.Empty,
                    GetString(entry.M, "region") ?? string.Empty,
                    GetString(entry.M, "imageId") ?? string.Empty)
                { Tested = GetString(entry.M, "tested") })
                .ToList()
            : [];

    private static Dictionary<string, AttributeValue> Key(string buildId) => new() { [S.BuildId] = Str(buildId) };

    private static AttributeValue Str(string value) => new() { S = value };

    private static AttributeValue Num(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    private static string? GetString(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.S : null;

    private static long GetLong(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && long.TryParse(value.N, CultureInfo.InvariantCulture, out var number) ? number : 0;
}
