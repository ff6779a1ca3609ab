namespace Bakery.Bench.ColdStart;

/// <summary>Every run of one variant, in milliseconds and kB, plus the summary the docs quote.</summary>
internal sealed record ColdStartResult
{
    public required string Variant { get; init; }
    public required IReadOnlyList<double> StartToResponseMs { get; init; }
    public required IReadOnlyList<long> PeakRssKb { get; init; }
    public required int Failures { get; init; }
    public required long SizeBytes { get; init; }
    public required string SizeNote { get; init; }
    public double MedianMs => Stats.Median(StartToResponseMs);
    public double P90Ms => Stats.Percentile(StartToResponseMs, 90);
    public double MedianPeakRssMb => Stats.Median([.. PeakRssKb.Select(k => k / 1024.0)]);
    public double MaxPeakRssMb => PeakRssKb.Count == 0 ? double.NaN : PeakRssKb.Max() / 1024.0;
}
