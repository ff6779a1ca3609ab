using System.Diagnostics.Tracing;

namespace Bakery.Benchmarks;

/// <summary>
/// Which types a benchmark allocates, from the runtime's own allocation sampling (a <c>GCAllocationTick</c> event about
/// every 100 KB allocated, naming the type of the object that crossed the mark): a profile of allocations without an
/// external profiler. Run: <c>dotnet Bakery.Benchmarks.dll cpu hcl2 30 --alloc</c>; the counts are samples, so the
/// shares are what they estimate, not exact bytes.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Dictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private bool _recording;

    public void Start() => _recording = true;

    public IEnumerable<string> Report(int top)
    {
        _recording = false;
        lock (_bytesByType)
        {
            var total = (double)Math.Max(1, _bytesByType.Values.Sum());
            return [.. _bytesByType.OrderByDescending(p => p.Value).Take(top)
                .Select(p => FormattableString.Invariant($"{p.Value / total,6:P1}  {p.Key}"))];
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
        {
            return;
        }

        var typeName = eventData.Payload![eventData.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(eventData.Payload[eventData.PayloadNames.IndexOf("AllocationAmount")], System.Globalization.CultureInfo.InvariantCulture);
        lock (_bytesByType)
        {
            _bytesByType[typeName] = _bytesByType.GetValueOrDefault(typeName) + amount;
        }
    }
}
