namespace Bakery.Integration.Tests.Support;

[CollectionDefinition(Name)]
public sealed class LocalMotoCollection : ICollectionFixture<LocalMoto>
{
    public const string Name = "local moto (steps-prepare)";
}
