using Amazon.Runtime;
using Bakery.Core.Aws.Json;

namespace Bakery.Core.Aws.Internal;

internal sealed class JsonEvents(AwsJsonClient client) : IEvents
{
    public async Task PutAsync(string eventBusName, IReadOnlyList<BuildEvent> events, CancellationToken cancellationToken)
    {
        var request = new PutEventsRequest
        {
            Entries = [.. events.Select(e => new PutEventsRequestEntry
            {
                Source = e.Source,
                DetailType = e.DetailType,
                Detail = e.Detail,
                EventBusName = eventBusName,
                Resources = e.Resources.Count > 0 ? e.Resources : null,
            })],
        };
        var response = await client.SendAsync("PutEvents", request, AwsJsonContext.Default.PutEventsRequest, AwsJsonContext.Default.PutEventsResponse, cancellationToken)
            .ConfigureAwait(false);
        if (response.FailedEntryCount > 0)
        {
            var failed = (response.Entries ?? []).FirstOrDefault(entry => entry.ErrorCode is not null);
            // A refused entry is reported with 200; raise it with its code so AwsRetry can tell throttling from the rest.
            throw new AmazonServiceException(
                $"EventBridge PutEvents refused {response.FailedEntryCount} of {events.Count} events: {failed?.ErrorCode}: {failed?.ErrorMessage}",
                ErrorType.Sender, failed?.ErrorCode ?? "FailedEntry", null, System.Net.HttpStatusCode.OK);
        }
    }
}
