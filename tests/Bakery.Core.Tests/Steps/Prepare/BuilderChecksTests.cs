using Bakery.BuildFiles;
using Bakery.BuildFiles.Model;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Bundles;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps.Prepare;
using Bakery.Core.Tests.Steps.Fakes;

namespace Bakery.Core.Tests.Steps.Prepare;

/// <summary>The per-builder checks Prepare runs before anything is staged: stack region, AMI name, user_data.</summary>
public sealed class BuilderChecksTests
{
    private static AmazonEbsBuilder Builder(string region = "us-east-1", string amiName = "web", bool force = false, string? userDataFile = null) => new()
    {
        Name = "web",
        Region = region,
        SourceAmi = "ami-1",
        InstanceType = "t3.micro",
        AmiName = amiName,
        ForceDeregister = force,
        UserDataFile = userDataFile,
    };

    [Fact]
    public void A_builder_in_another_region_than_the_stack_is_refused_with_the_way_out()
    {
        var error = Assert.Throws<BuildFileInvalid>(() => new StackRegionCheck("eu-west-1").Check("s3://b/builds/w/w.json", Builder()));

        Assert.Contains("Set \"region\": \"eu-west-1\" and list us-east-1 in ami_regions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stack_without_a_region_or_in_the_builders_region_passes()
    {
        new StackRegionCheck(null).Check("f", Builder());
        new StackRegionCheck("us-east-1").Check("f", Builder());
    }

    [Fact]
    public async Task A_taken_ami_name_is_refused_with_the_image_that_has_it()
    {
        var aws = FakeAws.WithSourceImages();
        aws.AddImage(new ImageDescription("ami-taken", "available") { Name = "web" });

        var error = await Assert.ThrowsAsync<AmiNameInUse>(() => new AmiNameCheck(aws, AwsRetry.Immediate()).EnsureFreeAsync(Builder(), Redactor.None, CancellationToken.None));

        Assert.Equal("builder 'web': ami_name 'web' is used by ami-taken in us-east-1; choose another name or set force_deregister: true.", error.Message);
    }

    [Theory]
    [InlineData("web", true)]
    [InlineData("web-{{ .SourceAMIName }}", false)]
    public async Task A_name_is_not_looked_up_when_it_is_forced_or_known_only_later(string amiName, bool force)
    {
        var aws = FakeAws.WithSourceImages();
        aws.AddImage(new ImageDescription("ami-taken", "available") { Name = amiName });

        await new AmiNameCheck(aws, AwsRetry.Immediate()).EnsureFreeAsync(Builder(amiName: amiName, force: force), Redactor.None, CancellationToken.None);

        Assert.Empty(aws.ImageQueries);
    }

    [Fact]
    public async Task User_data_file_is_read_from_the_bundle()
    {
        var store = new InMemoryObjectStore();
        store.Put("b", "builds/w/boot.sh", "#!/bin/sh\necho boot");
        var source = new BuildSource { Bucket = "b", Key = "builds/w/w.json", Prefix = "builds/w/" };

        var builder = await new UserDataReader(store, AwsRetry.Immediate())
            .ReadAsync(Builder(userDataFile: "boot.sh"), source, new S3BundleFiles("builds/w/", ["builds/w/boot.sh"]), CancellationToken.None);

        Assert.Equal("#!/bin/sh\necho boot", builder.UserData);
    }

    [Fact]
    public async Task A_user_data_file_gone_from_the_bundle_is_refused_with_its_address()
    {
        var source = new BuildSource { Bucket = "b", Key = "builds/w/w.json", Prefix = "builds/w/" };

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => new UserDataReader(new InMemoryObjectStore(), AwsRetry.Immediate())
            .ReadAsync(Builder(userDataFile: "boot.sh"), source, new S3BundleFiles("builds/w/", []), CancellationToken.None));

        Assert.Equal("builder 'web': user_data_file 'boot.sh' is not in the bundle (s3://b/builds/w/boot.sh).", error.Message);
    }
}
