using Bakery.Core.Steps;
using Bakery.Testing.Permissions;
using Bakery.Testing.Moto;
using Bakery.Testing;
using Xunit.Abstractions;

namespace Bakery.Integration.Tests.Permissions;

/// <summary>
/// Every AWS call each step makes (recorded under the SDK while the bootstrap's handlers run against moto) against
/// <see cref="StepPermissions"/>, which template.yaml must match (tests/Bakery.Static.Tests/Static/StepPolicyTests):
/// a call the table lacks would be AccessDenied on AWS; a grant no run uses is privilege creep.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(MotoCollection.Name)]
public class StepPermissionRunTests(MotoFixture moto, ITestOutputHelper output)
{
    // The runs take a while; both tests judge the same recording.
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IReadOnlyList<AwsCall>? recorded;

    [Fact]
    public async Task Every_call_a_step_makes_is_granted_in_its_permission_table()
    {
        var calls = await RecordedAsync();

        var missing = new List<string>();
        foreach (var call in calls)
        {
            var grants = StepPermissions.ByStep[call.Step].Where(p => p.Action == call.Action).ToList();
            if (grants.Count == 0)
            {
                missing.Add($"{call}: add {call.Action} to StepPermissions[\"{call.Step}\"] and to {StepPermissions.FunctionOf(call.Step)}'s policy in template.yaml");
                continue;
            }

            foreach (var resource in call.Resources.Where(r => !grants.Any(g => g.Resources.Any(pattern => Matches(pattern, r)))))
            {
                missing.Add($"{call}: {resource} is outside {string.Join(", ", grants.SelectMany(g => g.Resources))}; widen the grant in StepPermissions and template.yaml, or fix the step");
            }
        }

        Assert.True(missing.Count == 0, string.Join("\n", missing.Distinct()));
    }

    [Fact]
    public async Task Every_permission_in_the_table_is_used_by_a_run_or_implied_with_a_reason()
    {
        var calls = await RecordedAsync();
        foreach (var step in calls.GroupBy(c => c.Step))
        {
            output.WriteLine($"{step.Key}: {string.Join(", ", step.Select(c => c.Operation).Distinct().Order(StringComparer.Ordinal))}");
        }

        var unused = StepPermissions.ByStep
            .SelectMany(step => step.Value.Select(grant => (Step: step.Key, Grant: grant)))
            .Where(p => p.Grant.Implied is null && p.Grant.UsedOnlyInAuthorizationCheck is null && !calls.Any(c => c.Step == p.Step && c.Action == p.Grant.Action))
            .Select(p => $"{p.Step}: {p.Grant.Action} ({p.Grant.Why}) was not called by any run: remove it from StepPermissions and from " +
                         $"{StepPermissions.FunctionOf(p.Step)}'s policy in template.yaml, mark it Implied with the reason, or add a run that takes its path")
            .ToList();

        Assert.True(unused.Count == 0, string.Join("\n", unused));
        Assert.All(StepPermissions.ByStep.Values.SelectMany(g => g).Where(g => g.Implied is not null), g => Assert.False(string.IsNullOrWhiteSpace(g.Implied)));
    }

    [Fact]
    public async Task No_step_adds_an_inbound_rule_or_a_key_pair()
    {
        var calls = await RecordedAsync();

        Assert.DoesNotContain(calls, c => c.Action is "ec2:AuthorizeSecurityGroupIngress" or "ec2:ModifySecurityGroupRules" or "ec2:CreateKeyPair" or "ec2:ImportKeyPair");
        var launches = calls.Where(c => c.Operation == "RunInstances").Select(c => (Amazon.EC2.Model.RunInstancesRequest)c.Request).ToList();
        Assert.NotEmpty(launches);
        Assert.All(launches, request => Assert.True(string.IsNullOrEmpty(request.KeyName), $"RunInstances named key pair {request.KeyName}"));
    }

    /// <summary>IAM's resource wildcard: <c>*</c> matches any run of characters.</summary>
    internal static bool Matches(string pattern, string resource)
    {
        var parts = pattern.Split('*');
        if (!resource.StartsWith(parts[0], StringComparison.Ordinal))
        {
            return false;
        }

        var position = parts[0].Length;
        for (var i = 1; i < parts.Length; i++)
        {
            var found = i == parts.Length - 1 && parts[i].Length > 0
                ? (resource.EndsWith(parts[i], StringComparison.Ordinal) && resource.Length - parts[i].Length >= position ? resource.Length - parts[i].Length : -1)
                : resource.IndexOf(parts[i], position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + parts[i].Length;
        }

        return parts.Length > 1 || position == resource.Length;
    }

    private async Task<IReadOnlyList<AwsCall>> RecordedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return recorded ??= await PermissionRuns.AllAsync(moto.Endpoint);
        }
        finally
        {
            Gate.Release();
        }
    }
}
