using Bakery.Local.Instances;
using Bakery.Testing;
using Bakery.Testing.Moto;

namespace Bakery.EndToEnd.Tests.Instances;

/// <summary>
/// A root filesystem tarball imported as an AMI id (<c>bakery local import</c>) is what instances of that id run on,
/// instead of the Debian base: here a tiny root filesystem of its own (a shell, env, cat, sleep and the C library,
/// with an os-release naming it), launched through moto's RunInstances and driven through the agent. Needs root.
/// </summary>
[Collection(MotoCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class ImportedImageTests(MotoFixture moto) : IAsyncLifetime
{
    private const string ImportedAmi = "ami-0123456789abcdef0";
    private readonly string work = Directory.CreateTempSubdirectory("bakery-import-").FullName;
    private LocalAgentHarness agent = null!;

    public async Task InitializeAsync() => agent = await LocalAgentHarness.StartAsync(moto);

    public async Task DisposeAsync()
    {
        await agent.DisposeAsync();
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task Instances_of_an_imported_ami_run_on_its_root_filesystem_and_not_on_the_base()
    {
        var tarball = await TinyRootFilesystemAsync();
        var image = await agent.Instances.Images.ImportAsync(ImportedAmi, "tiny", tarball, CancellationToken.None);
        Assert.True(image.Imported);
        Assert.Equal([agent.Instances.Images.LayerOf(ImportedAmi)], agent.Instances.Images.LayersFor(ImportedAmi));
        Assert.Equal($"{ImportedAmi} runs locally on the root filesystem imported from tiny-rootfs.tar.gz", agent.Instances.Images.Describe(ImportedAmi));

        var instanceId = await agent.LaunchAsync(ImportedAmi);
        var invocation = await agent.RunAsync(instanceId, "cat /etc/os-release", "test -e /etc/debian_version && echo on-the-base || echo not-on-the-base");

        Assert.True(invocation.Status.Value == "Success", invocation.StandardErrorContent);
        Assert.Equal("ID=tiny\nnot-on-the-base\n", invocation.StandardOutputContent);
        // The stand-in's reboot went in with it: the instance's init restarts and the next command runs after it.
        var reboot = await agent.RunAsync(instanceId, "echo before", "/usr/local/sbin/reboot", "echo never");
        Assert.DoesNotContain("never", reboot.StandardOutputContent, StringComparison.Ordinal);
        await agent.Instances.WaitStartedAsync(instanceId).WaitAsync(TimeSpan.FromMinutes(2)); // bounds a hang only
        Assert.Equal("ID=tiny\n", (await agent.RunAsync(instanceId, "cat /etc/os-release")).StandardOutputContent);
    }

    [Fact]
    public async Task A_tarball_that_is_not_a_root_filesystem_is_refused_and_leaves_no_image()
    {
        var folder = Directory.CreateDirectory(Path.Combine(work, "notroot")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "readme.txt"), "not a root filesystem\n");
        var tarball = Path.Combine(work, "notroot.tar");
        await RunAsync("tar", "-C", folder, "-cf", tarball, ".");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => agent.Instances.Images.ImportAsync(ImportedAmi, null, tarball, CancellationToken.None));
        Assert.Contains("notroot.tar is not a root filesystem", error.Message, StringComparison.Ordinal);
        Assert.False(agent.Instances.Images.Holds(ImportedAmi));
        Assert.Empty(agent.Instances.Images.List());
    }

    [Theory]
    [InlineData("ami-123", "tiny.tar.gz", 2, "'ami-123' is not an AMI id")]
    [InlineData("ami-0123456789abcdef0", "missing-rootfs.tar.gz", 1, "missing-rootfs.tar.gz: no such file")]
    public async Task Bakery_local_import_refuses_a_bad_ami_id_or_a_missing_tarball_and_says_which(string ami, string tarball, int exitCode, string message)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await Bakery.Cli.Commands.LocalInstanceCommands.ImportAsync(Path.Combine(work, tarball), ami, null, output, error, CancellationToken.None);

        Assert.Equal(exitCode, exit);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
    }

    /// <summary>A root filesystem with only what the stand-in needs, taken from the base image's files.</summary>
    private async Task<string> TinyRootFilesystemAsync()
    {
        var source = BaseImage.Default().RootFilesystem;
        var rootfs = Directory.CreateDirectory(Path.Combine(work, "rootfs")).FullName;
        var libraries = Directory.GetFiles(Path.Combine(source, "usr", "lib"), "*", SearchOption.AllDirectories)
            .Where(file => Path.GetFileName(file) is "libc.so.6" || Path.GetFileName(file).StartsWith("ld-linux", StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(source, file));
        await RunAsync("/bin/sh", ["-c", "cd \"$1\" && shift && cp -a --parents \"$@\" \"$0\"", rootfs, source,
            "bin", "lib", "lib64", "sbin", "usr/bin/dash", "usr/bin/sh", "usr/bin/env", "usr/bin/cat", "usr/bin/sleep", "usr/lib64", .. libraries]);
        Directory.CreateDirectory(Path.Combine(rootfs, "root"));
        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        await File.WriteAllTextAsync(Path.Combine(rootfs, "etc", "os-release"), "ID=tiny\n");
        var tarball = Path.Combine(work, "tiny-rootfs.tar.gz");
        await RunAsync("tar", "-C", rootfs, "-czf", tarball, ".");
        return tarball;
    }

    private async Task RunAsync(string file, params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await RealShells.RunAsync(file, arguments, work);
        Assert.True(exitCode == 0, $"{file} {string.Join(' ', arguments)}: {stdout}{stderr}");
    }
}
