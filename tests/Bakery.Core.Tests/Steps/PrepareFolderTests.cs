using System.Text.Json;
using Bakery.Core.Aws;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;
using Bakery.Core.Tests.Steps.Fakes;
using Bakery.Core.Triggers;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Core.Tests.Steps;

/// <summary>
/// A folder of HCL2 files is one template, as Packer reads it: the source in one file, the build in another, values
/// in <c>*.auto.pkrvars.hcl</c>. Each uploaded file starts an execution; the uploads of one batch build once.
/// </summary>
public class PrepareFolderTests
{
    private const string Bucket = "bakery-templates";

    private const string Sources = """
        variable "name" {
          type = string
        }
        source "amazon-ebs" "web" {
          region        = "us-east-1"
          source_ami    = "ami-12345678"
          instance_type = "t3.micro"
          ami_name      = "web-${var.name}"
        }
        """;

    private const string Build = """
        build {
          sources = ["source.amazon-ebs.web"]
          provisioner "shell" {
            inline = ["echo ${var.name}"]
          }
        }
        """;

    private readonly FakeAws aws = FakeAws.WithSourceImages();
    private readonly InMemoryLedger ledger = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    private PrepareStep Step() => new(
        aws,
        ledger,
        new BakeryConfiguration { Bucket = Bucket, LedgerTable = "ledger", InstanceProfile = "builder" },
        AwsRetry.Immediate(),
        clock,
        new PrepareOptions(),
        (wait, _) =>
        {
            clock.Advance(wait);
            return Task.CompletedTask;
        });

    private static BuildRequest Upload(string key, string sequencer) =>
        new() { Kind = TriggerKind.S3Upload, Bucket = Bucket, Key = key, Sequencer = sequencer };

    private void UploadFolder(string name = "blue")
    {
        aws.Store.Put(Bucket, "builds/web/sources.pkr.hcl", Sources);
        aws.Store.Put(Bucket, "builds/web/build.pkr.hcl", Build);
        aws.Store.Put(Bucket, "builds/web/web.auto.pkrvars.hcl", $"name = \"{name}\"\n");
    }

    [Fact]
    public async Task Two_template_files_and_an_auto_var_file_uploaded_together_build_once()
    {
        UploadFolder();

        var first = await Step().RunAsync(Upload("builds/web/sources.pkr.hcl", "0001"), CancellationToken.None);
        var second = await Step().RunAsync(Upload("builds/web/build.pkr.hcl", "0002"), CancellationToken.None);

        var build = Assert.Single(first.Builds!);
        Assert.Null(first.Skip);
        Assert.Equal("web-blue", build.Build!.Builder.AmiName);
        Assert.Equal("amazon-ebs.web", build.Build.Builder.Name);
        Assert.StartsWith("web-", first.BuildId, StringComparison.Ordinal);
        Assert.Equal("duplicate", second.Skip?.Reason);
        Assert.Equal(first.BuildId, second.BuildId);
    }

    [Fact]
    public async Task Uploading_the_folder_again_with_other_content_builds_again()
    {
        UploadFolder("blue");
        var first = await Step().RunAsync(Upload("builds/web/build.pkr.hcl", "0001"), CancellationToken.None);
        UploadFolder("green");

        var second = await Step().RunAsync(Upload("builds/web/build.pkr.hcl", "0002"), CancellationToken.None);

        Assert.NotEqual(first.BuildId, second.BuildId);
        Assert.Equal("web-green", Assert.Single(second.Builds!).Build!.Builder.AmiName);
    }

    [Fact]
    public async Task The_console_names_a_folder_with_a_trailing_slash()
    {
        UploadFolder();
        var input = TriggerNormalizer.Normalize(JsonDocument.Parse($$"""{"template": "s3://{{Bucket}}/builds/web/"}""").RootElement);

        var state = await Step().RunAsync(input, CancellationToken.None);

        Assert.Equal("web-blue", Assert.Single(state.Builds!).Build!.Builder.AmiName);
        Assert.StartsWith("web-", state.BuildId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Templates_in_sub_folders_are_not_part_of_the_folders_template()
    {
        UploadFolder();
        // Another build's template one level down: Packer reads only the folder's own files.
        aws.Store.Put(Bucket, "builds/web/other/other.pkr.hcl", Build);

        var state = await Step().RunAsync(Upload("builds/web/build.pkr.hcl", "0001"), CancellationToken.None);

        Assert.Single(state.Builds!);
    }

    [Fact]
    public async Task A_folder_without_templates_is_refused_naming_it()
    {
        aws.Store.Put(Bucket, "builds/empty/readme.txt", "nothing to build");
        var input = TriggerNormalizer.Normalize(JsonDocument.Parse($$"""{"template": "s3://{{Bucket}}/builds/empty/"}""").RootElement);

        var error = await Assert.ThrowsAsync<BuildInputInvalid>(() => Step().RunAsync(input, CancellationToken.None));

        Assert.Contains($"s3://{Bucket}/builds/empty/ has no *.pkr.hcl or *.pkr.json files", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_half_of_a_folder_alone_is_refused_with_packers_reason()
    {
        // Only the build file has arrived when its event is read: the template has no source yet.
        aws.Store.Put(Bucket, "builds/web/build.pkr.hcl", Build);

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Step().RunAsync(Upload("builds/web/build.pkr.hcl", "0001"), CancellationToken.None));

        Assert.Contains("source.amazon-ebs.web", error.Message, StringComparison.Ordinal);
    }
}
