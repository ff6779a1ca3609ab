using System.Text.Json;
using Bakery.BuildFiles.Model;
using Bakery.Core.Aws;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;
using Bakery.Core.Tests.Steps.Fakes;
using Bakery.Core.Triggers;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Core.Tests.Steps;

/// <summary>
/// Prepare with HCL2 templates (.pkr.hcl) in S3: every trigger shape takes one, it bakes what its JSON twin bakes, and
/// file()/templatefile()/fileexists() read the uploaded bundle, as Packer reads the disk.
/// </summary>
public class PrepareHcl2Tests
{
    private const string Bucket = "bakery-templates";

    private readonly FakeAws aws = FakeAws.WithSourceImages();
    private readonly InMemoryLedger ledger = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly List<TimeSpan> delays = [];

    private PrepareStep Step() => new(
        aws,
        ledger,
        new BakeryConfiguration { Bucket = Bucket, LedgerTable = "ledger", InstanceProfile = "builder" },
        AwsRetry.Immediate(),
        clock,
        new PrepareOptions(),
        (wait, _) =>
        {
            delays.Add(wait);
            clock.Advance(wait);
            return Task.CompletedTask;
        });

    private static string Resource(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "resources", "prepare", name));

    private static string Example(string name) => File.ReadAllText(Path.Combine(RepositoryRoot(), "examples", "nginx", name));

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Serverless.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Serverless.sln not found above " + AppContext.BaseDirectory);
    }

    private static BuildRequest Upload(string key) => new() { Kind = TriggerKind.S3Upload, Bucket = Bucket, Key = key, Sequencer = "0001" };

    // The ~ strip markers take the newline and the indentation after each directive, as in HCL.
    private void UploadFilesBuild()
    {
        aws.Store.Put(Bucket, "builds/web/web.pkr.hcl", Resource("files_build.pkr.hcl"));
        aws.Store.Put(Bucket, "builds/web/config/motd.txt", "  Baked by Bakery  \n");
        aws.Store.Put(Bucket, "builds/web/config/user-data.tpl", "#cloud-config\nhostname: ${hostname}\npackages:\n%{ for p in packages ~}\n  - ${p}\n%{ endfor ~}\n");
    }

    [Theory]
    [InlineData("upload")]
    [InlineData("console")]
    [InlineData("schedule")]
    public async Task The_seeds_HCL2_twin_prepares_the_build_its_JSON_original_prepares(string trigger)
    {
        aws.Store.Put(Bucket, "builds/nginx/my_test_build.json", Example("my_test_build.json"));
        aws.Store.Put(Bucket, "builds/hcl/my_test_build.pkr.hcl", Example("my_test_build.pkr.hcl"));
        aws.Store.Put(Bucket, "builds/nginx/packer_provision.sh", Example("packer_provision.sh"));
        aws.Store.Put(Bucket, "builds/hcl/packer_provision.sh", Example("packer_provision.sh"));
        var input = trigger switch
        {
            "upload" => Upload("builds/hcl/my_test_build.pkr.hcl"),
            "console" => TriggerNormalizer.Normalize(JsonDocument.Parse($$"""{"template": "s3://{{Bucket}}/builds/hcl/my_test_build.pkr.hcl"}""").RootElement),
            _ => TriggerNormalizer.Normalize(JsonDocument.Parse(
                $$"""{"template": "s3://{{Bucket}}/builds/hcl/my_test_build.pkr.hcl", "scheduledTime": "2026-11-24T03:00:00Z"}""").RootElement),
        };

        var json = Assert.Single((await Step().RunAsync(Upload("builds/nginx/my_test_build.json"), CancellationToken.None)).Builds!);
        var hcl = Assert.Single((await Step().RunAsync(input, CancellationToken.None)).Builds!);

        Assert.Equal(json.Build!.Builder.AmiName, hcl.Build!.Builder.AmiName);
        Assert.Equal($"packer.my_test_machine.{clock.GetUtcNow().ToUnixTimeSeconds()}", hcl.Build.Builder.AmiName);
        Assert.Equal(json.Build.Builder.Tags, hcl.Build.Builder.Tags);
        Assert.Equal(json.SourceImageId, hcl.SourceImageId);
        // Packer names an HCL2 build TYPE.NAME (the JSON builder is named after its type).
        Assert.Equal(("amazon-ebs", "amazon-ebs.my_test_machine"), (json.Build.Builder.Name, hcl.Build.Builder.Name));
        var jsonShell = Assert.IsType<ShellProvisioner>(Assert.Single(json.Build.Provisioners));
        var hclShell = Assert.IsType<ShellProvisioner>(Assert.Single(hcl.Build.Provisioners));
        var staged = Assert.Single(hcl.Created.StagedKeys);
        Assert.EndsWith("/files/packer_provision.sh", staged, StringComparison.Ordinal);
        Assert.Equal(aws.Store.Text(Bucket, Assert.Single(json.Created.StagedKeys)), aws.Store.Text(Bucket, staged));
        Assert.Equal(jsonShell.Scripts.Select(s => s.BundlePath), hclShell.Scripts.Select(s => s.BundlePath));
    }

    [Fact]
    public async Task File_templatefile_and_fileexists_read_the_uploaded_bundle()
    {
        UploadFilesBuild();

        var state = await Step().RunAsync(Upload("builds/web/web.pkr.hcl"), CancellationToken.None);

        var build = Assert.Single(state.Builds!);
        Assert.Equal("#cloud-config\nhostname: web-1\npackages:\n- nginx\n- curl\n", build.Build!.Builder.UserData);
        var shell = Assert.IsType<ShellProvisioner>(Assert.Single(build.Build.Provisioners));
        var script = aws.Store.Text(Bucket, shell.StagedInlineKey!)!;
        Assert.Contains("echo 'Baked by Bakery' > /etc/motd\n", script, StringComparison.Ordinal);
        Assert.Contains("echo no-extra\n", script, StringComparison.Ordinal);
        Assert.Empty(delays);
    }

    [Fact]
    public async Task Fileset_lists_the_uploaded_bundle()
    {
        aws.Store.Put(Bucket, "builds/app/app.pkr.hcl", """
            source "amazon-ebs" "app" {
              region        = "us-east-1"
              source_ami    = "ami-12345678"
              instance_type = "t3.micro"
              ami_name      = "app"
            }
            build {
              sources = ["source.amazon-ebs.app"]
              provisioner "shell" {
                scripts = [for f in fileset(path.root, "scripts/**/*.sh") : "${path.root}/${f}"]
              }
            }
            """);
        aws.Store.Put(Bucket, "builds/app/scripts/02-app.sh", "echo 2");
        aws.Store.Put(Bucket, "builds/app/scripts/01-base.sh", "echo 1");
        aws.Store.Put(Bucket, "builds/app/scripts/deep/03-deep.sh", "echo 3");
        aws.Store.Put(Bucket, "builds/app/scripts/README.md", "not a script");
        aws.Store.Put(Bucket, "builds/other/scripts/99-other.sh", "another build's");

        var state = await Step().RunAsync(Upload("builds/app/app.pkr.hcl"), CancellationToken.None);

        var shell = Assert.IsType<ShellProvisioner>(Assert.Single(Assert.Single(state.Builds!).Build!.Provisioners));
        Assert.Equal(["scripts/01-base.sh", "scripts/02-app.sh", "scripts/deep/03-deep.sh"], shell.Scripts.Select(s => s.BundlePath));
    }

    [Fact]
    public async Task An_uploaded_pkr_json_template_bakes_with_its_pkrvars_file()
    {
        aws.Store.Put(Bucket, "builds/app/app.pkr.json", """
            {
              "variable": { "name": { "type": "string" } },
              "source": { "amazon-ebs": { "app": {
                "region": "us-east-1", "source_ami": "ami-12345678", "instance_type": "t3.micro", "ami_name": "${var.name}-{{timestamp}}"
              } } },
              "build": { "sources": ["source.amazon-ebs.app"], "provisioner": { "shell": { "inline": ["echo ${var.name}"] } } }
            }
            """);
        aws.Store.Put(Bucket, "builds/app/app.pkrvars.hcl", "name = \"from-pkrvars\"\n");

        var state = await Step().RunAsync(Upload("builds/app/app.pkr.json"), CancellationToken.None);

        var build = Assert.Single(state.Builds!);
        Assert.Equal($"from-pkrvars-{clock.GetUtcNow().ToUnixTimeSeconds()}", build.Build!.Builder.AmiName);
        Assert.Equal("amazon-ebs.app", build.Build.Builder.Name);
    }

    [Fact]
    public async Task Fileexists_sees_a_file_that_is_in_the_bundle()
    {
        UploadFilesBuild();
        aws.Store.Put(Bucket, "builds/web/extra.sh", "echo extra");

        var state = await Step().RunAsync(Upload("builds/web/web.pkr.hcl"), CancellationToken.None);

        var shell = Assert.IsType<ShellProvisioner>(Assert.Single(Assert.Single(state.Builds!).Build!.Provisioners));
        Assert.Contains("echo extra\n", aws.Store.Text(Bucket, shell.StagedInlineKey!)!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_the_template_reads_that_never_arrives_is_named_in_the_error_after_the_wait()
    {
        UploadFilesBuild();
        aws.Store.Objects.Remove($"{Bucket}/builds/web/config/motd.txt");

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Step().RunAsync(Upload("builds/web/web.pkr.hcl"), CancellationToken.None));

        Assert.Contains("web.pkr.hcl:3:", error.Message, StringComparison.Ordinal);
        Assert.Contains("config/motd.txt", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(delays); // it may still have been uploading
        Assert.DoesNotContain(aws.Store.Objects.Keys, key => key.Contains("/staging/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_that_arrives_while_Prepare_waits_is_read()
    {
        UploadFilesBuild();
        var motd = aws.Store.Objects[$"{Bucket}/builds/web/config/motd.txt"];
        aws.Store.Objects.Remove($"{Bucket}/builds/web/config/motd.txt");
        var step = new PrepareStep(aws, ledger, new BakeryConfiguration { Bucket = Bucket, LedgerTable = "ledger", InstanceProfile = "builder" },
            AwsRetry.Immediate(), clock, new PrepareOptions(), (wait, _) =>
            {
                aws.Store.Objects[$"{Bucket}/builds/web/config/motd.txt"] = motd;
                clock.Advance(wait);
                return Task.CompletedTask;
            });

        var state = await step.RunAsync(Upload("builds/web/web.pkr.hcl"), CancellationToken.None);

        var shell = Assert.IsType<ShellProvisioner>(Assert.Single(Assert.Single(state.Builds!).Build!.Provisioners));
        Assert.Contains("Baked by Bakery", aws.Store.Text(Bucket, shell.StagedInlineKey!)!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_UTF8_text_is_refused_as_Packers_file_refuses_it()
    {
        UploadFilesBuild();
        aws.Store.Objects[$"{Bucket}/builds/web/config/motd.txt"] = [0x48, 0xFF, 0xFE, 0x00];

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Step().RunAsync(Upload("builds/web/web.pkr.hcl"), CancellationToken.None));

        Assert.Contains("config/motd.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains("not UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_cannot_read_a_file_outside_its_folder()
    {
        aws.Store.Put(Bucket, "builds/other/secret.txt", "s3cr3t");
        aws.Store.Put(Bucket, "builds/app/app.pkr.hcl", """
            source "amazon-ebs" "a" {
              region        = "us-east-1"
              source_ami    = "ami-12345678"
              instance_type = "t3.micro"
              ami_name      = "app-${file("${path.root}/../other/secret.txt")}"
            }
            build { sources = ["source.amazon-ebs.a"] }
            """);

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Step().RunAsync(Upload("builds/app/app.pkr.hcl"), CancellationToken.None));

        Assert.Contains("../other/secret.txt", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }
}
