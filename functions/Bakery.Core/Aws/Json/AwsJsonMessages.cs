namespace Bakery.Core.Aws.Json;

// The wire shapes of the calls Bakery makes over JSON 1.1, named and cased as the services' API references name them.

/// <summary>Secrets Manager GetSecretValue's request.</summary>
public sealed record GetSecretValueRequest
{
    public required string SecretId { get; init; }

    public string? VersionId { get; init; }

    public string? VersionStage { get; init; }
}

/// <summary>Secrets Manager GetSecretValue's answer (CreatedDate and VersionStages are not read).</summary>
public sealed record GetSecretValueResponse
{
    public string? ARN { get; init; }

    public string? Name { get; init; }

    public string? VersionId { get; init; }

    public string? SecretString { get; init; }

    /// <summary>Base64 on the wire; System.Text.Json reads it as bytes.</summary>
    public byte[]? SecretBinary { get; init; }
}

/// <summary>EventBridge PutEvents' request.</summary>
public sealed record PutEventsRequest
{
    public required IReadOnlyList<PutEventsRequestEntry> Entries { get; init; }
}

/// <summary>One event of a PutEvents request.</summary>
public sealed record PutEventsRequestEntry
{
    public required string Source { get; init; }

    public required string DetailType { get; init; }

    /// <summary>The event's detail: a JSON object, as a string.</summary>
    public required string Detail { get; init; }

    public string? EventBusName { get; init; }

    public IReadOnlyList<string>? Resources { get; init; }
}

/// <summary>EventBridge PutEvents' answer: a failed entry does not fail the call, so its count must be read.</summary>
public sealed record PutEventsResponse
{
    public int FailedEntryCount { get; init; }

    public IReadOnlyList<PutEventsResultEntry>? Entries { get; init; }
}

/// <summary>One entry of PutEvents' answer: an event id, or an error code and message.</summary>
public sealed record PutEventsResultEntry
{
    public string? EventId { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }
}
