using Bakery.Cli.Commands;

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
}
