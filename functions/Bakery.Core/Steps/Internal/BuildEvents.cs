using System.Text.Json;
using Bakery.Core.Aws;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// Puts one EventBridge event per build as it ends (<c>Bakery Build Succeeded</c> / <c>Bakery Build Failed</c>, source
/// <c>bakery</c>) on the stack's bus, so users route results to SNS, chat or their own automation (issue 17, feature 6).
/// </summary>
internal sealed class BuildEvents(IAwsServices aws, AwsRetry retry, string? eventBus)
{
    public const string Source = "bakery";
    public const string Succeeded = "Bakery Build Succeeded";
    public const string Failed = "Bakery Build Failed";
    public const string DefaultBus = "default";

    public string Bus { get; } = eventBus is { Length: > 0 } bus ? bus : DefaultBus;

    public Task PutAsync(BuildEventDetail detail, CancellationToken cancellationToken)
    {
        var type = detail.Status == "Succeeded" ? Succeeded : Failed;
        var json = JsonSerializer.Serialize(detail, BuildEventJsonContext.Default.BuildEventDetail);
        var events = aws.Events;
        return retry.RunAsync($"EventBridge PutEvents ({type})", token => events.PutAsync(Bus, [new BuildEvent(Source, type, json, [])], token), cancellationToken);
    }
}
