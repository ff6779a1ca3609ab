namespace Bakery.Bench.Bakes;

/// <summary>What bakes left in the stand-in: instances not terminated, security groups and staged objects still there.</summary>
internal sealed record Leaks(int Instances, int SecurityGroups, int StagedObjects)
{
    public bool Any => Instances + SecurityGroups + StagedObjects > 0;
}
