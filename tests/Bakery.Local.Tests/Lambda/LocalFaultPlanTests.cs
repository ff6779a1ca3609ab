using Bakery.Local.Lambda;

namespace Bakery.Functions.Tests.Lambda;

public sealed class LocalFaultPlanTests
{
    [Fact]
    public void The_brief_example_parses_into_one_fault_per_entry()
    {
        var plan = LocalFaultPlan.Parse("Provision:ProvisionerFailed,CreateImage:ImageFailed@2,Launch:Sandbox.Timedout");

        Assert.Equal(3, plan.Faults.Count);
        Assert.Equal(new LocalFault { Function = "Provision", ErrorType = "ProvisionerFailed" }, plan.Faults[0]);
        Assert.Equal(new LocalFault { Function = "CreateImage", ErrorType = "ImageFailed", FirstAttempt = 2, LastAttempt = 2 }, plan.Faults[1]);
        Assert.True(plan.Faults[2].RunsTheFunction);
        Assert.False(plan.Faults[0].RunsTheFunction);
    }

    [Theory]
    [InlineData("Launch:LaunchFailed", 1, true)]
    [InlineData("Launch:LaunchFailed", 9, true)]
    [InlineData("Launch:LaunchFailed@2", 1, false)]
    [InlineData("Launch:LaunchFailed@2", 2, true)]
    [InlineData("Launch:LaunchFailed@2", 3, false)]
    [InlineData("Launch:LaunchFailed@2-3", 3, true)]
    [InlineData("Launch:LaunchFailed@2-3", 4, false)]
    [InlineData("Launch:LaunchFailed@2+", 1, false)]
    [InlineData("Launch:LaunchFailed@2+", 40, true)]
    public void An_attempt_selector_picks_the_invocations_that_fail(string text, int attempt, bool fails)
    {
        var plan = LocalFaultPlan.Parse(text);

        Assert.Equal(fails, plan.Find(["LaunchFunction", "Launch"], attempt) is not null);
    }

    [Fact]
    public void A_fault_matches_a_function_by_handler_logical_id_or_name_and_nothing_else()
    {
        var plan = LocalFaultPlan.Parse("LaunchFunction:LaunchFailed");

        Assert.NotNull(plan.Find(["LaunchFunction", "bakery-launch", "Launch"], 1));
        Assert.Null(plan.Find(["ProvisionFunction", "Provision"], 1));
    }

    [Fact]
    public void A_plan_file_takes_comments_new_lines_and_commas()
    {
        var plan = LocalFaultPlan.FromSetting(Path.Combine(AppContext.BaseDirectory, "resources", "faults", "plan.txt"));

        Assert.Equal("Provision:ProvisionerFailed,CreateImage:ImageFailed@2,Launch:Sandbox.Timedout@1-2,Teardown:Lambda.ServiceException@3+", plan.ToString());
    }

    [Theory]
    [InlineData("CreateImage:Delay=3s", 3000, "CreateImage:Delay=3s")]
    [InlineData("CreateImage:Delay=500ms@2", 500, "CreateImage:Delay=500ms@2")]
    [InlineData("Teardown:Delay=60s@1+", 60000, "Teardown:Delay=60s")]
    public void A_delay_holds_the_invocation_and_then_runs_it(string text, int milliseconds, string written)
    {
        var fault = Assert.Single(LocalFaultPlan.Parse(text).Faults);

        Assert.True(fault.IsDelay);
        Assert.True(fault.RunsTheFunction);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), fault.Delay);
        Assert.Equal(written, fault.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void No_setting_is_no_fault(string? value) => Assert.Empty(LocalFaultPlan.FromSetting(value).Faults);

    [Theory]
    [InlineData("Provision")]
    [InlineData(":ProvisionerFailed")]
    [InlineData("Provision:")]
    [InlineData("Provision:Provisioner Failed")]
    [InlineData("Provision:ProvisionerFailed@0")]
    [InlineData("Provision:ProvisionerFailed@x")]
    [InlineData("Provision:ProvisionerFailed@3-2")]
    [InlineData("Provision:ProvisionerFailed@-1")]
    [InlineData("Provision:Delay=")]
    [InlineData("Provision:Delay=3")]
    [InlineData("Provision:Delay=1.5s")]
    [InlineData("Provision:Delay=-3s")]
    public void A_malformed_entry_is_refused_with_its_text(string text)
    {
        var error = Assert.Throws<FormatException>(() => LocalFaultPlan.Parse(text));

        Assert.Contains(text.Trim(), error.Message, StringComparison.Ordinal);
    }
}
