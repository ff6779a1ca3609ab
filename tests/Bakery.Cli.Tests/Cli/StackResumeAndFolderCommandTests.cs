using System.Text.RegularExpressions;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Bakery.Cli.Commands;
using Bakery.Core.Exceptions;
using Bakery.Testing;

namespace Bakery.EndToEnd.Tests.Cli;

/// <summary>
/// Stack mode against the stand-in (<c>bakery local up</c>, then <c>--stack local</c>), each command a separate
/// <c>bakery</c> process as a user runs it: a build that failed after its image existed resumes with
/// <c>--resume ID --stack local</c> through StartExecution and the stand-in's state machine, with its one image; a resume
/// of an unknown or finished build is refused with the reason; a folder rebuilt after a template was removed locally
/// no longer reads that template from S3, and the CLI's predicted build id is the one Prepare gives.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed partial class StackResumeAndFolderCommandTests : IDisposable
{
    private readonly StandInCli _cli = new("bakery-stack-resume-test-");

    private string StatePath => _cli.StatePath;

    [Fact]
    public async Task A_failed_stack_build_resumes_with_its_image_and_a_rebuilt_folder_reads_no_removed_template()
    {
        try
        {
            // ShareImage fails once (its first invocation), after the image exists and is tagged.
            var up = await _cli.RunAsync(new Dictionary<string, string> { ["BAKERY_LOCAL_FAULTS"] = "ShareImage:ShareFailed@1" }, "local", "up");
            Assert.True(up.ExitCode == 0, up.Text);
            var awsEndpoint = Assert.Single(ExportedEndpoint().Matches(up.Stdout)).Groups[1].Value;
            var aws = new Dictionary<string, string>
            {
                ["AWS_ENDPOINT_URL"] = awsEndpoint,
                ["AWS_ACCESS_KEY_ID"] = "testing",
                ["AWS_SECRET_ACCESS_KEY"] = "testing",
                ["AWS_REGION"] = "us-east-1",
            };
            using var ec2 = new AmazonEC2Client(new BasicAWSCredentials("testing", "testing"), new AmazonEC2Config { ServiceURL = awsEndpoint, AuthenticationRegion = "us-east-1" });

            var failed = await _cli.RunAsync(aws, "build", "--stack", "local", "-color=false", "my_test_build.json");
            Assert.True(failed.ExitCode == 1, failed.Text);
            Assert.Contains(nameof(ShareFailed), failed.Stdout, StringComparison.Ordinal);
            var buildId = Assert.Single(StartedBuild().Matches(failed.Stdout)).Groups[1].Value;
            var held = Assert.Single(await ImagesOfAsync(ec2, buildId));

            var resumed = await _cli.RunAsync(aws, "build", "--resume", buildId, "--stack", "local", "-color=false", "my_test_build.json");
            Assert.True(resumed.ExitCode == 0, resumed.Text);
            Assert.Contains($"Resuming build {buildId} on stack local: amazon-ebs continues after its image {held}", resumed.Stdout, StringComparison.Ordinal);
            Assert.Contains($"Build {buildId} resumed on stack local", resumed.Stdout, StringComparison.Ordinal);
            Assert.Equal(held, Assert.Single(AmiLine().Matches(resumed.Stdout)).Groups[1].Value);
            // No second image: the one the failed build kept is the build's only image.
            Assert.Equal(new[] { held }, await ImagesOfAsync(ec2, buildId));

            var again = await _cli.RunAsync(aws, "build", "--resume", buildId, "--stack", "local", "-color=false", "my_test_build.json");
            Assert.True(again.ExitCode == 1, again.Text);
            Assert.Contains($"Build {buildId} succeeded; there is nothing to resume. Nothing was started.", again.Stdout, StringComparison.Ordinal);
            var unknown = await _cli.RunAsync(aws, "build", "--resume", "my_test_build-0000000000000000", "--stack", "local", "-color=false", "my_test_build.json");
            Assert.True(unknown.ExitCode == 1, unknown.Text);
            Assert.Contains("There is no build my_test_build-0000000000000000 in the ledger", unknown.Stdout, StringComparison.Ordinal);

            await A_rebuilt_folder_reads_no_removed_template(aws, awsEndpoint);
        }
        finally
        {
            await _cli.RunAsync(new Dictionary<string, string>(), "local", "down");
        }
    }

    private async Task A_rebuilt_folder_reads_no_removed_template(Dictionary<string, string> aws, string awsEndpoint)
    {
        // Three templates make one folder build; its source AMI does not exist, so each build fails fast after Prepare
        // claimed it under the id the CLI predicted ("Build ID started" is only printed when the prediction is found).
        var folder = Directory.CreateDirectory(Path.Combine(_cli.Folder, "stale-folder")).FullName;
        File.WriteAllText(Path.Combine(folder, "source.pkr.hcl"), """
            source "amazon-ebs" "web" {
              region        = "us-east-1"
              instance_type = "t3.micro"
              ami_name      = "bakery-stale-folder"
              source_ami_filter {
                filters     = { name = "bakery-no-such-image-*" }
                owners      = ["self"]
                most_recent = true
              }
            }
            """);
        File.WriteAllText(Path.Combine(folder, "build.pkr.hcl"), "build {\n  sources = [\"source.amazon-ebs.web\"]\n}\n");
        File.WriteAllText(Path.Combine(folder, "extra.pkr.hcl"), "variable \"unused\" {\n  default = \"x\"\n}\n");

        var first = await _cli.RunAsync(aws, "build", "--stack", "local", "-color=false", folder);
        Assert.Contains(nameof(SourceImageNotFound), first.Stdout, StringComparison.Ordinal);
        var firstId = Assert.Single(StartedBuild().Matches(first.Stdout)).Groups[1].Value;

        File.Delete(Path.Combine(folder, "extra.pkr.hcl"));
        var second = await _cli.RunAsync(aws, "build", "--stack", "local", "-color=false", folder);
        Assert.Contains("Deleted s3://", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("/builds/stale-folder/extra.pkr.hcl: it is no longer in the local folder", second.Stdout, StringComparison.Ordinal);
        Assert.Contains(nameof(SourceImageNotFound), second.Stdout, StringComparison.Ordinal);
        var secondId = Assert.Single(StartedBuild().Matches(second.Stdout)).Groups[1].Value;
        Assert.NotEqual(firstId, secondId);

        using var s3 = new AmazonS3Client(new BasicAWSCredentials("testing", "testing"), new AmazonS3Config { ServiceURL = awsEndpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        var bucket = Assert.Single(BucketLine().Matches(second.Stdout)).Groups[1].Value;
        var keys = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "builds/stale-folder/" })).S3Objects.Select(o => o.Key).ToList();
        Assert.Equal(new[] { "builds/stale-folder/build.pkr.hcl", "builds/stale-folder/source.pkr.hcl" }, keys.Order(StringComparer.Ordinal));
    }

    private static async Task<List<string>> ImagesOfAsync(AmazonEC2Client ec2, string buildId) =>
        [.. (await ec2.DescribeImagesAsync(new DescribeImagesRequest
        {
            Owners = ["self"],
            Filters = [new Amazon.EC2.Model.Filter { Name = "tag:bakery:build-id", Values = [buildId] }],
        })).Images.Select(image => image.ImageId)];

    public void Dispose() => _cli.Dispose();

    [GeneratedRegex(@"export AWS_ENDPOINT_URL=(\S+)")]
    private static partial Regex ExportedEndpoint();

    [GeneratedRegex(@"(?m)^us-east-1: (ami-[0-9a-f]+)\s*$")]
    private static partial Regex AmiLine();

    [GeneratedRegex(@"==> Build (\S+) started on stack local")]
    private static partial Regex StartedBuild();

    [GeneratedRegex(@"to s3://([^/]+)/builds/stale-folder/")]
    private static partial Regex BucketLine();
}
