namespace Bakery.Core.Aws;

/// <summary>One event for EventBridge: its source, detail-type, detail (a JSON object) and the ARNs it concerns.</summary>
public sealed record BuildEvent(string Source, string DetailType, string Detail, IReadOnlyList<string> Resources);
