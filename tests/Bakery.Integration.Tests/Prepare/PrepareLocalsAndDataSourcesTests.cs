using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Bakery.Core.Aws;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;
using Bakery.Core.Triggers;
using Bakery.Integration.Tests.Support;
using Bakery.Testing;
using Bakery.Testing.Moto;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Integration.Tests.Prepare;

/// <summary>
/// Prepare against moto with an HCL2 template whose data source reads locals and whose locals read that data source
/// (Packer's documented behaviour since 1.10, which evaluates them in dependency order; 1.6.6 predates data sources).
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(MotoCollection.Name)]
public class PrepareLocalsAndDataSourcesTests
{
    private const string Template = """
        locals {
          app      = "shop"
          path     = "/bakery/data/${local.app}"
          ami_name = "${local.app}-${data.amazon-parameterstore.release.value}-{{timestamp}}"
        }

        data "amazon-parameterstore" "release" {
          name   = "${local.path}/release"
          region = "us-east-1"
        }

        source "amazon-ebs" "web" {
          region        = "us-east-1"
          source_ami    = "ami-cd0f5cb6"
          instance_type = "t3.micro"
          ami_name      = local.ami_name
        }

        build {
          sources = ["source.amazon-ebs.web"]
        }

        """;

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    private PrepareStep Step(BakeryStack stack) =>
        new(stack.Services, stack.Ledger, stack.Configuration, AwsRetry.Immediate(), clock, delay: (_, _) => Task.CompletedTask);

    [Fact]
    public async Task A_data_source_named_from_locals_is_read_and_the_local_made_of_it_names_the_ami()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        using (var ssm = StandInClients.Ssm("us-east-1"))
        {
            await ssm.PutParameterAsync(new PutParameterRequest { Name = "/bakery/data/shop/release", Value = "2.7.1", Type = ParameterType.String, Overwrite = true });
        }

        await stack.PutAsync("builds/shop/shop.pkr.hcl", Template);

        var state = await Step(stack).RunAsync(
            new BuildRequest { Kind = TriggerKind.S3Upload, Bucket = stack.Bucket, Key = "builds/shop/shop.pkr.hcl", Sequencer = "00617F08299329D189" },
            CancellationToken.None);

        var build = Assert.Single(state.Builds!);
        Assert.StartsWith("shop-2.7.1-", build.Build!.Builder.AmiName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cycle_between_a_local_and_a_data_source_fails_prepare_naming_both_and_reads_nothing()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        var cycle = Template.Replace("path     = \"/bakery/data/${local.app}\"", "path     = \"/bakery/data/${data.amazon-parameterstore.release.version}\"", StringComparison.Ordinal);
        await stack.PutAsync("builds/cycle/cycle.pkr.hcl", cycle);

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Step(stack).RunAsync(
            new BuildRequest { Kind = TriggerKind.S3Upload, Bucket = stack.Bucket, Key = "builds/cycle/cycle.pkr.hcl", Sequencer = "00617F08299329D189" },
            CancellationToken.None));

        Assert.Contains("local.path", error.Message, StringComparison.Ordinal);
        Assert.Contains("data.amazon-parameterstore.release", error.Message, StringComparison.Ordinal);
        Assert.Contains("depend on each other", error.Message, StringComparison.Ordinal);
        Assert.Contains("cycle.pkr.hcl:3:", error.Message, StringComparison.Ordinal);
    }
}
