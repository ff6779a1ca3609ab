using System.Text.RegularExpressions;
using Amazon.S3.Model;
using Bakery.Core.Exceptions;
using Bakery.Testing;
using Bakery.Testing.Cli;
using Bakery.Testing.Moto;
using Xunit.Abstractions;

namespace Bakery.EndToEnd.Tests.Cli;

/// <summary>
/// A local bake is a real bake: <c>bakery build</c> (the real definition, the AOT bootstrap, moto behind the
/// stand-in's proxy) with local instances on, so every script runs as root in a Debian trixie root filesystem and the
/// AMI holds what it did. What the scripts did is checked inside the image (its layer, or <c>bakery local run</c>) and
/// on the host side (S3 for downloads, the CLI's output). Needs root, as CI runs (the stand-in says so otherwise).
/// </summary>
[Collection(MotoCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed partial class LocalInstancesTests(MotoFixture moto, ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string Bucket = "bakery-local";

    // The large-file test's files: above TransferUtility's 16 MiB multipart threshold, so the CLI uploads each in parts.
    private const int FileBytes = 20 * 1024 * 1024;
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("bakery-instances-e2e-").FullName;

    private string LocalFolder => Path.Combine(_workDirectory, "local");

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        await PublishedBootstrap.GetPathAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Directory.Delete(_workDirectory, recursive: true);

    [Fact]
    public async Task The_seed_example_installs_nginx_for_real_and_a_fresh_instance_of_its_ami_runs_nginx()
    {
        var result = await BuildAsync(RepositoryPaths.Combine("examples", "nginx", "my_test_build.json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Scripts run for real", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("==> amazon-ebs: source ami-cd0f5cb6 runs locally as Debian trixie", result.Stdout, StringComparison.Ordinal);
        // The script's own output, streamed as Packer shows it (set -x traces, apt's lines).
        Assert.Contains("    amazon-ebs: + apt -y install nginx", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("    amazon-ebs: Setting up nginx", result.Stdout, StringComparison.Ordinal);
        var ami = Ami(result);

        var images = await CliAsync("local", "images");
        Assert.Contains(ami, images.Stdout, StringComparison.Ordinal);

        var run = await CliAsync("local", "run", ami, "--", "nginx", "-v");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("nginx version: nginx/", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.Contains("exit code 0", run.Stderr, StringComparison.Ordinal);

        // The base alone has no nginx: the image's layer is what holds it.
        var bare = await CliAsync("local", "run", "ami-cd0f5cb6", "--", "sh", "-c", "command -v nginx");
        Assert.NotEqual(0, bare.ExitCode);
    }

    [Fact]
    public async Task The_seeds_HCL2_twin_installs_nginx_for_real_as_the_JSON_seed_does()
    {
        var result = await BuildAsync(RepositoryPaths.Combine("examples", "nginx", "my_test_build.pkr.hcl"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("    amazon-ebs.my_test_machine: + apt -y install nginx", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("    amazon-ebs.my_test_machine: Setting up nginx", result.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(InImage(Ami(result), "usr/sbin/nginx")), "the image's layer holds nginx");
    }

    [Fact]
    public async Task A_script_that_exits_3_fails_the_build_with_provisioner_failed_its_exit_code_and_its_real_output()
    {
        var result = await BuildAsync(Resource("exit_three.json"));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("    amazon-ebs: written before the failure", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(nameof(ProvisionerFailed), result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Matches(ExitCodeThree(), result.Stdout + result.Stderr);
        Assert.Contains("written before the failure", Report(result), StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(Path.Combine(LocalFolder, "images")) ? Directory.GetDirectories(Path.Combine(LocalFolder, "images")) : []);
    }

    [Fact]
    public async Task Valid_exit_codes_let_a_shell_and_a_powershell_script_that_exit_3_pass_and_pwsh_runs_in_the_instance()
    {
        await RealShells.PwshAsync();
        var result = await BuildAsync(Resource("exit_three_valid.json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var ami = Ami(result);
        Assert.Equal("exits 3 on purpose\n", await File.ReadAllTextAsync(InImage(ami, "root/three.txt")));
        // The powershell provisioner's valid_exit_codes is [3] alone: the build passes only because pwsh really ran
        // and its exit code really came back; its output is streamed as the shell's is.
        // Once: streamed as it ran, not again from the provisioner's output tail.
        Assert.Single(result.Stdout.ReplaceLineEndings("\n").Split('\n'), line => line == "    amazon-ebs: it's pwsh 7.6.10 in the bake");
        Assert.Equal("written by pwsh\n", await File.ReadAllTextAsync(InImage(ami, "root/pwsh.txt")));
        Assert.DoesNotContain("PowerShell is not run locally", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Environment_vars_execute_command_inline_shebang_remote_folder_skip_clean_and_file_transfers_move_real_bytes()
    {
        var result = await BuildAsync(Resource("features.json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var ami = Ami(result);

        // environment_vars through {{.Vars}} (quotes, spaces and a $ kept literally), PACKER_BUILD_NAME, and the
        // execute_command's own words and argument.
        Assert.Equal("hello world|it's \"quoted\" $HOME|amazon-ebs|first-arg\n", await File.ReadAllTextAsync(InImage(ami, "root/env.txt")));
        Assert.Equal("custom\n", await File.ReadAllTextAsync(InImage(ami, "root/execute_command.txt")));
        // A sensitive variable reaches the script whole, and what the script prints of it is masked in the streamed
        // output (those lines come from the stand-in, not through Provision).
        Assert.Equal("s3cr3t-'pass' $word\n", await File.ReadAllTextAsync(InImage(ami, "root/secret.txt")));
        Assert.Contains("    amazon-ebs: connecting with <sensitive>", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", result.Stdout + result.Stderr, StringComparison.Ordinal);
        // {{.Path}} is remote_folder/remote_file, and skip_clean left it there.
        Assert.Equal("/opt/bakery-scripts/env.sh\n", await File.ReadAllTextAsync(InImage(ami, "root/path.txt")));
        Assert.True(File.Exists(InImage(ami, "opt/bakery-scripts/env.sh")));
        // inline_shebang: bash ran the inline script; without skip_clean its file is gone from remote_folder (/tmp).
        Assert.StartsWith("bash 5.", await File.ReadAllTextAsync(InImage(ami, "root/shebang.txt")), StringComparison.Ordinal);
        // While it ran, the script was in /tmp; afterwards it is not.
        Assert.Contains("script_", await File.ReadAllTextAsync(InImage(ami, "root/tmp-listing.txt")), StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(InImage(ami, "tmp")) ? Directory.GetFiles(InImage(ami, "tmp"), "script_*") : []);

        // Uploads: a file, a folder without trailing slash (the folder itself), with one (its contents), content.
        var resources = Resource("files");
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(resources, "hello.txt")), await File.ReadAllBytesAsync(InImage(ami, "root/hello.txt")));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(resources, "tree", "a.txt")), await File.ReadAllBytesAsync(InImage(ami, "root/notrail/tree/a.txt")));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(resources, "tree", "sub", "b.txt")), await File.ReadAllBytesAsync(InImage(ami, "root/notrail/tree/sub/b.txt")));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(resources, "tree", "a.txt")), await File.ReadAllBytesAsync(InImage(ami, "root/trail/a.txt")));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(resources, "tree", "sub", "b.txt")), await File.ReadAllBytesAsync(InImage(ami, "root/trail/sub/b.txt")));
        Assert.False(Directory.Exists(InImage(ami, "root/trail/tree")));
        Assert.Equal("made from content\n", await File.ReadAllTextAsync(InImage(ami, "root/content.txt")));

        // direction: download: the instance's bytes reach the stack's bucket (what the instance wrote, byte for byte).
        using var s3 = StandInClients.S3();
        var downloads = ((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "staging/" })).S3Objects ?? [])
            .Where(o => o.Key.Contains("/downloads/", StringComparison.Ordinal)).ToList();
        var report = Assert.Single(downloads, o => o.Key.EndsWith("/report.txt", StringComparison.Ordinal));
        using (var body = await s3.GetObjectAsync(Bucket, report.Key))
        using (var reader = new StreamReader(body.ResponseStream))
        {
            Assert.Equal(await File.ReadAllTextAsync(InImage(ami, "root/out/report.txt")), await reader.ReadToEndAsync());
        }

        Assert.Contains(downloads, o => o.Key.Contains("/downloads/7/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Expect_disconnect_lets_a_script_reboot_the_instance_and_the_next_provisioner_runs_after_it_came_back()
    {
        var result = await BuildAsync(Resource("reboot.json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("rebooted while the command ran", result.Stdout, StringComparison.Ordinal);
        var ami = Ami(result);
        Assert.Equal("before the reboot\n", await File.ReadAllTextAsync(InImage(ami, "root/before.txt")));
        Assert.False(File.Exists(InImage(ami, "root/never.txt")));
        Assert.Equal("after the reboot\n", await File.ReadAllTextAsync(InImage(ami, "root/after.txt")));
    }

    [Fact]
    public async Task A_provisioner_timeout_ends_a_sleep_600_and_fails_the_build_as_timed_out()
    {
        var result = await BuildAsync(Resource("timeout.json"));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("    amazon-ebs: going to sleep", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("woke up", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("timed out after 3 s", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chained_bake_sees_the_base_images_changes_and_its_image_stacks_on_the_base()
    {
        var baseBuild = await BuildAsync(Resource("chained_base.json"));
        Assert.True(baseBuild.ExitCode == 0, baseBuild.ToString());
        var baseAmi = Ami(baseBuild);

        var app = await BuildAsync("-var", $"base_ami={baseAmi}", Resource("chained_app.json"));
        Assert.True(app.ExitCode == 0, app.ToString());
        Assert.Contains($"{baseAmi} runs locally from its 1 local layer(s)", app.Stdout, StringComparison.Ordinal);
        var appAmi = Ami(app);

        var run = await CliAsync("local", "run", appAmi, "--", "sh", "-c", "cat /root/seen-base.txt /root/seen-removal.txt /etc/base-marker");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("from the base image\nremoved\nfrom the base image", run.Stdout, StringComparison.Ordinal);
        // The app's own layer holds only what the app's script changed.
        Assert.False(File.Exists(InImage(appAmi, "etc/base-marker")));
    }

    [Fact]
    public async Task A_folder_of_multipart_sized_files_reaches_the_instance_one_comes_back_byte_for_byte_and_the_full_log_prints_past_24000_characters()
    {
        // Issue 14 item 8: three files of random bytes, uploaded by the CLI in parts, staged by S3's copy and fetched
        // file by file. Nothing on this path depends on the size beyond the CLI's multipart threshold (TransferUtility:
        // 16 MiB), so each file is above it; that Prepare never holds the bytes, however many, is
        // LargeFileStagingTests' claim (300 MB, more than the function's memory).
        var payload = Directory.CreateDirectory(Path.Combine(_workDirectory, "payload"));
        Directory.CreateDirectory(Path.Combine(payload.FullName, "deep"));
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, seed) in new[] { ("one.bin", 1), ("two.bin", 2), ("deep/three.bin", 3) })
        {
            var content = new byte[FileBytes];
            new Random(seed).NextBytes(content);
            await File.WriteAllBytesAsync(Path.Combine(payload.FullName, name), content);
            sums[name] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        }

        var buildFile = Path.Combine(_workDirectory, "large_files.json");
        File.Copy(Resource("large_files.json"), buildFile);

        var result = await BuildAsync(buildFile);

        Assert.True(result.ExitCode == 0, result.ToString());
        var ami = Ami(result);
        // sha256sum ran on the instance over what arrived.
        var onInstance = (await File.ReadAllLinesAsync(InImage(ami, "root/sums.txt")))
            .Select(line => line.Split("  ./", 2))
            .ToDictionary(parts => parts[1], parts => parts[0], StringComparer.Ordinal);
        Assert.Equal(sums.OrderBy(p => p.Key, StringComparer.Ordinal), onInstance.OrderBy(p => p.Key, StringComparer.Ordinal));

        // direction: download of a file: the bytes in the bucket are the instance's.
        using var s3 = StandInClients.S3();
        var staged = ((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "staging/" })).S3Objects ?? []).ToList();
        // The CLI uploaded each file in parts (a multipart object's ETag ends in -{parts}).
        var uploaded = ((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "builds/" })).S3Objects ?? [])
            .Where(o => o.Key.EndsWith(".bin", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, uploaded.Count);
        Assert.All(uploaded, o => Assert.Matches("-([2-9]|[1-9][0-9]+)\"$", o.ETag));
        var downloaded = Assert.Single(staged, o => o.Key.Contains("/downloads/", StringComparison.Ordinal));
        using (var body = await s3.GetObjectAsync(Bucket, downloaded.Key))
        {
            Assert.Equal(sums["two.bin"], Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(body.ResponseStream)));
        }

        // Teardown removed the staged folder's files and the transfer list; the logs and the download stay.
        Assert.DoesNotContain(staged, o => o.Key.Contains("/files/", StringComparison.Ordinal) || o.Key.Contains("/transfers/", StringComparison.Ordinal));

        // `bakery status BUILD --log` prints the whole output the agent wrote to S3, not GetCommandInvocation's 24,000 characters.
        var buildId = downloaded.Key.Split('/')[1];
        using var log = new StringWriter();
        var commands = await Bakery.Cli.Build.BuildLogs.WriteAsync(s3, Bucket, buildId, log, CancellationToken.None);
        var text = log.ToString();
        output.WriteLine($"{commands} commands, {text.Length:N0} characters of log");
        Assert.InRange(commands, 1, 3);
        Assert.Contains("==> amazon-ebs: provisioners[1], command ", text, StringComparison.Ordinal);
        Assert.Contains("log line 0 of a long provisioner output\n", text, StringComparison.Ordinal);
        Assert.Contains("log line 2999 of a long provisioner output\nthe last line of the log\n", text, StringComparison.Ordinal);
        Assert.True(text.Length > 100_000, $"{text.Length} characters");
    }

    /// <summary>
    /// <c>bakery build</c> run from the build file's folder (its last argument), as the seed runs <c>packer build</c>:
    /// relative paths in a build file start from the folder bakery runs in.
    /// </summary>
    private async Task<CliResult> BuildAsync(params string[] arguments) =>
        await CliInAsync(Path.GetDirectoryName(Path.GetFullPath(arguments[^1]))!, ["build", .. arguments]);

    private Task<CliResult> CliAsync(params string[] arguments) => CliInAsync(_workDirectory, arguments);

    private async Task<CliResult> CliInAsync(string folder, params string[] arguments)
    {
        using var cli = BakeryCliProcess.Start(folder, new Dictionary<string, string?>
        {
            ["BAKERY_LOCAL_INSTANCES_MODE"] = "auto",
            ["BAKERY_LOCAL_INSTANCES"] = LocalFolder,
        }, arguments);
        var result = await cli.WaitForExitAsync();
        output.WriteLine($"$ bakery {string.Join(' ', arguments)}\n{result}");
        return result;
    }

    private string InImage(string ami, string path) => Path.Combine(LocalFolder, "images", ami, "layer", path);

    private static string Ami(CliResult result) => Assert.Single(AmiLines().Matches(result.Stdout)).Groups["ami"].Value;

    /// <summary>What the CLI printed after the build's progress: the failure report.</summary>
    private static string Report(CliResult result) => result.Stdout[result.Stdout.LastIndexOf("Provision", StringComparison.Ordinal)..] + result.Stderr;

    private static string Resource(string name) => Path.Combine(AppContext.BaseDirectory, "resources", "Instances", name);

    [GeneratedRegex(@"^us-east-1: (?<ami>ami-[0-9a-f]+)$", RegexOptions.Multiline)]
    private static partial Regex AmiLines();

    [GeneratedRegex(@"exit(ed with| code)?:? 3\b")]
    private static partial Regex ExitCodeThree();
}
