using Bakery.Cli.Commands;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.EndToEnd.Tests.Cli;

public sealed class BuildCommandTests
{
    [Fact]
    public async Task A_bad_build_file_prints_its_errors_exits_1_and_starts_nothing()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "resources", "Cli", "invalid.json");
        var output = new StringWriter();
        var error = new StringWriter();

        // No stand-in is reachable from this test: reaching the run stage would fail differently (or hang), not print validation errors.
        var exit = await System.CommandLine.Parsing.CommandLineParser.Parse(BuildCommand.Create(), ["-color=false", path])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(1, exit);
        Assert.Contains("is not a valid build file; nothing was started", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("instance_type", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_build_runs_on_the_clock_it_is_given_not_the_systems()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "resources", "Cli", "invalid.json");
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero));
        var output = new StringWriter();

        var exit = await System.CommandLine.Parsing.CommandLineParser.Parse(BuildCommand.Create(clock), ["-machine-readable", path])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = new StringWriter() });

        // Every machine-readable line is stamped by the build's clock (the same one LocalBuild dates resumes and reports by).
        Assert.Equal(1, exit);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.StartsWith($"{clock.GetUtcNow().ToUnixTimeSeconds()},", line, StringComparison.Ordinal));
    }
}
