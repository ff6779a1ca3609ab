namespace Bakery.Testing.Moto;

/// <summary>
/// The name of the collection whose tests share the moto server. xunit only discovers collection
/// definitions in the test assembly itself, so each test assembly declares (once):
/// <code>
/// [CollectionDefinition(MotoCollection.Name)]
/// public sealed class MotoCollectionDefinition : ICollectionFixture&lt;MotoFixture&gt;;
/// </code>
/// and its moto tests carry <c>[Collection(MotoCollection.Name)]</c> and take <see cref="MotoFixture"/> in
/// their constructor.
/// </summary>
public static class MotoCollection
{
    public const string Name = "Moto";
}
