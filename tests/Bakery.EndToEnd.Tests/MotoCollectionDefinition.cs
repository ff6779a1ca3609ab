using Bakery.Testing.Moto;

namespace Bakery.EndToEnd.Tests;

/// <summary>
/// The one moto server of this test assembly. Its variables are process-wide and tests reset it, so every class that
/// talks to moto joins this collection and they run one at a time.
/// </summary>
[CollectionDefinition(MotoCollection.Name)]
public sealed class MotoCollectionDefinition : ICollectionFixture<MotoFixture>;
