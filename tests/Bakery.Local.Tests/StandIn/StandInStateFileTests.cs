using System.Diagnostics;
using Bakery.Local.StandIn;
using Bakery.Testing;

namespace Bakery.Local.Tests.StandIn;

/// <summary>
/// <see cref="StandInStateFile.IsServing"/> decides whether <c>bakery local up</c>'s server is alive. It once read an
/// empty command line (a process in the middle of execve) as "not a server", and `local up` reported a starting stand-in
/// as exited. An empty command line is also what a zombie shows, so the two must be told apart by the process state.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class StandInStateFileTests
{
    [Fact]
    public async Task A_live_process_named_serve_is_serving_and_one_that_is_not_is_a_reused_pid()
    {
        // `; :` keeps bash from exec'ing sleep, so its command line keeps the "serve" argument.
        using var serving = Start("bash", "-c", "sleep 30; :", "bash", "serve");
        using var other = Start("sleep", "30");
        try
        {
            await WaitForCommandLineAsync(serving.Id, "serve");
            Assert.True(StandInStateFile.IsServing(serving.Id));
            Assert.False(StandInStateFile.IsServing(other.Id));
            Assert.False(StandInStateFile.HasEnded(serving.Id));
        }
        finally
        {
            serving.Kill(entireProcessTree: true);
            other.Kill();
        }
    }

    [Fact]
    public async Task A_zombie_has_ended_and_is_not_serving()
    {
        // The child waits for the end of our stdin (fd 3: a background job's own stdin is /dev/null); its parent then
        // becomes `sleep`, which never reaps it, so once we close stdin the child is a zombie for 30 s.
        using var parent = Start("bash", "-c", "exec 3<&0; head -c 1 <&3 >/dev/null & echo $!; exec sleep 30 3<&-");
        try
        {
            var zombie = int.Parse((await parent.StandardOutput.ReadLineAsync())!, System.Globalization.CultureInfo.InvariantCulture);
            await WaitUntilAsync(() => File.ReadAllText($"/proc/{parent.Id}/cmdline").StartsWith("sleep\0", StringComparison.Ordinal));
            parent.StandardInput.Close();
            await WaitForStateAsync(zombie, 'Z');

            Assert.True(StandInStateFile.HasEnded(zombie));
            Assert.False(StandInStateFile.IsServing(zombie));
        }
        finally
        {
            parent.Kill();
        }
    }

    [Fact]
    public async Task A_process_that_is_gone_has_ended()
    {
        using var gone = Start("true");
        await gone.WaitForExitAsync();

        Assert.True(StandInStateFile.HasEnded(gone.Id));
        Assert.False(StandInStateFile.IsServing(gone.Id));
    }

    private static Process Start(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    // The kernel sets these a moment after the fork; the test waits for them, not for a clock.
    private static Task WaitForCommandLineAsync(int pid, string argument) =>
        WaitUntilAsync(() => File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Contains(argument));

    private static Task WaitForStateAsync(int pid, char state) => WaitUntilAsync(() => StandInStateFile.StateOf(pid) == state);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
