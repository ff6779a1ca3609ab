using Bakery.Testing.Permissions;

namespace Bakery.EndToEnd.Tests.Static;

/// <summary>
/// Each step function's policy in template.yaml grants exactly the action/resource pairs of its step in
/// <see cref="StepPermissions"/> (which the integration runs hold to the calls the step really makes).
/// </summary>
public sealed class StepPolicyTests
{
    public static TheoryData<string> Steps => [.. StepPermissions.ByStep.Keys];

    [Theory]
    [MemberData(nameof(Steps))]
    public void The_function_policy_grants_exactly_what_the_step_needs(string step)
    {
        var function = StepPermissions.FunctionOf(step);
        var statements = TemplatePolicies.All(RepositoryFiles.Template).Where(s => s.Owner == function).ToList();
        Assert.DoesNotContain(statements, s => s.Effect != "Allow");
        var granted = statements.SelectMany(s => s.Actions.SelectMany(a => s.Resources.Select(r => (Action: a, Resource: Normalize(r))))).ToHashSet();
        var needed = StepPermissions.ByStep[step]
            .SelectMany(p => p.Resources.Select(r => (Action: p.Action, Resource: r, p.Why))).ToList();

        var problems = needed.Where(n => !granted.Contains((n.Action, n.Resource)))
            .Select(n => $"add {n.Action} on {n.Resource} to {function}'s policy in template.yaml ({step} {n.Why})")
            .Concat(granted.Where(g => !needed.Any(n => (n.Action, n.Resource) == g))
                .Select(g => $"remove {g.Action} on {g.Resource} from {function}'s policy in template.yaml: {step} makes no call that needs it " +
                             $"(if it does, add it with the reason to StepPermissions[\"{step}\"])"))
            .Distinct()
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_function_of_the_template_has_a_permission_table()
    {
        var functions = RepositoryFiles.Template.ResourcesOfType("AWS::Serverless::Function");
        Assert.Equal(functions.Order(StringComparer.Ordinal), StepPermissions.ByStep.Keys.Select(StepPermissions.FunctionOf).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("*", "*")]
    [InlineData("!GetAtt LedgerTable.Arn", "${LedgerTable.Arn}")]
    [InlineData("!Sub ${TemplatesBucket.Arn}/staging/*", "${TemplatesBucket.Arn}/staging/*")]
    [InlineData("!Sub arn:${AWS::Partition}:ec2:*::image/*", "arn:${AWS::Partition}:ec2:*::image/*")]
    public void Template_resources_are_compared_as_the_table_writes_them(string written, string normalized) =>
        Assert.Equal(normalized, Normalize(written));

    /// <summary><c>!Sub text</c> → text, <c>!GetAtt X.Arn</c> → <c>${X.Arn}</c>, plain strings as they are.</summary>
    internal static string Normalize(string resource) =>
        resource.StartsWith("!Sub ", StringComparison.Ordinal) ? resource["!Sub ".Length..]
        : resource.StartsWith("!GetAtt ", StringComparison.Ordinal) ? $"${{{resource["!GetAtt ".Length..]}}}"
        : resource;
}
