namespace Bakery.Core.Ledger;

/// <summary>One AMI a build produced: the builder that made it and the region it is in.</summary>
public sealed record BuiltImage(string Builder, string Region, string ImageId);
