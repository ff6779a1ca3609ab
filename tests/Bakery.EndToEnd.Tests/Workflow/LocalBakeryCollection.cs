namespace Bakery.EndToEnd.Tests.Workflow;

/// <summary>
/// Every test class that bakes through the stand-in shares one <see cref="LocalBakery"/> and runs one at a time:
/// moto and the fault plan are process-wide, and a second fixture's reset would wipe the first one's bucket.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LocalBakeryCollection : ICollectionFixture<LocalBakery>
{
    public const string Name = "Local bakery";
}
