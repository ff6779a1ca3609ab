namespace Bakery.Core.Bake;

/// <summary>One SSM parameter PublishParameter wrote: its name in a region, the AMI id it holds there and its version.</summary>
public sealed record PublishedParameter(string Region, string Name, string ImageId, long Version);
