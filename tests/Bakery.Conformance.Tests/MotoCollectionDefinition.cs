using Bakery.Testing.Moto;

namespace Bakery.Conformance.Tests;

/// <summary>The one moto server of this test assembly; every class that talks to moto joins this collection.</summary>
[CollectionDefinition(MotoCollection.Name)]
public sealed class MotoCollectionDefinition : ICollectionFixture<MotoFixture>;
