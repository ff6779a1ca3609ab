using Bakery.Testing.Moto;

namespace Bakery.Integration.Tests;

/// <summary>Every test in this assembly that talks to moto joins this collection: one server, tests in series.</summary>
[CollectionDefinition(MotoCollection.Name)]
public sealed class MotoCollectionDefinition : ICollectionFixture<MotoFixture>;
