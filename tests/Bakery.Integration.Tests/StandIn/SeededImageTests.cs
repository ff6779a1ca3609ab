using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.EC2;
using Amazon.EC2.Model;
using Bakery.Testing;
using Bakery.Testing.Moto;

namespace Bakery.Integration.Tests.StandIn;

/// <summary>
/// The stand-in knows every source AMI the examples pin (infra/local/moto-seed-images.json, added to moto's catalogue
/// by moto.sh): Prepare describes a pinned source_ami as Packer does, so the seed would otherwise fail with
/// SourceImageNotFound on moto 5.2, which no longer lists ami-cd0f5cb6. Unknown ids stay unknown.
/// </summary>
[Collection(MotoCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed partial class SeededImageTests(MotoFixture moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string> PinnedByExamples()
    {
        var ids = Directory.EnumerateFiles(RepositoryPaths.Combine("examples"), "*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".json", StringComparison.Ordinal) || file.EndsWith(".pkr.hcl", StringComparison.Ordinal))
            .SelectMany(file => PinnedSourceAmi().Matches(File.ReadAllText(file)).Select(match => match.Groups["id"].Value))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return [.. ids];
    }

    [Theory]
    [MemberData(nameof(PinnedByExamples))]
    public async Task A_source_ami_an_example_pins_is_an_ebs_backed_image_in_every_region_even_after_a_reset(string imageId)
    {
        await moto.ResetAsync();
        foreach (var region in new[] { "us-east-1", "us-west-2" })
        {
            using var ec2 = StandInClients.Ec2(region);
            var image = Assert.Single((await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] })).Images);
            Assert.Equal(imageId, image.ImageId);
            Assert.Equal(DeviceType.Ebs, image.RootDeviceType);
            Assert.Equal(ImageState.Available, image.State);
        }
    }

    [Fact]
    public void The_examples_pin_the_seed_ami()
    {
        Assert.Contains("ami-cd0f5cb6", PinnedByExamples());
    }

    [Fact]
    public async Task Seeding_adds_to_motos_catalogue_and_an_unknown_id_is_still_InvalidAMIID_NotFound()
    {
        using var ec2 = StandInClients.Ec2("us-east-1");
        var seeded = JsonDocument.Parse(await File.ReadAllTextAsync(RepositoryPaths.Combine("infra", "local", "moto-seed-images.json")))
            .RootElement.EnumerateArray().Select(image => image.GetProperty("ami_id").GetString()!).ToList();

        var amazon = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["amazon"] })).Images;
        var error = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = ["ami-0123456789abcdef0"] }));

        Assert.Contains(amazon, image => !seeded.Contains(image.ImageId));
        Assert.Equal("InvalidAMIID.NotFound", error.ErrorCode);
    }

    [GeneratedRegex(@"source_ami""?\s*[:=]\s*""(?<id>ami-[0-9a-f]+)""")]
    private static partial Regex PinnedSourceAmi();
}
