using Amazon.S3.Model;
using Bakery.Core.Aws;
using Bakery.Core.Aws.Internal;
using Bakery.Core.Steps;
using Bakery.Core.Triggers;
using Bakery.Integration.Tests.Support;
using Bakery.Testing;
using Bakery.Testing.Moto;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Integration.Tests.Prepare;

/// <summary>
/// Issue 14 item 8: files and folders a build uploads stage by S3's own copy, so their bytes never pass through the
/// Prepare function (256 MB of memory, 512 MB of /tmp by default, a 15-minute limit). Real bytes on moto through the SDK.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(MotoCollection.Name)]
public class LargeFileStagingTests
{
    private const int FileBytes = 100 * 1024 * 1024;
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_300_MB_folder_and_a_100_MB_file_stage_byte_for_byte_while_prepare_allocates_a_fraction_of_one_file()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        await stack.PutAsync("builds/big/build.json", """
            {
              "builders": [{ "type": "amazon-ebs", "region": "us-east-1", "source_ami": "ami-cd0f5cb6", "instance_type": "t3.micro",
                             "ami_name": "big-{{timestamp}}", "ssh_username": "admin" }],
              "provisioners": [
                { "type": "file", "source": "payload/", "destination": "/opt/payload" },
                { "type": "file", "source": "payload/one.bin", "destination": "/opt/one.bin" }
              ]
            }
            """);
        var names = new[] { "payload/one.bin", "payload/two.bin", "payload/deep/three.bin" };
        var sourceTags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            var content = new byte[FileBytes];
            new Random(i + 1).NextBytes(content);
            using var body = new MemoryStream(content, writable: false);
            var put = await stack.Clients.S3.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = $"builds/big/{names[i]}", InputStream = body });
            sourceTags[names[i]] = put.ETag;
        }

        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var state = await new PrepareStep(stack.Services, stack.Ledger, stack.Configuration, AwsRetry.Immediate(), clock, delay: (_, _) => Task.CompletedTask)
            .RunAsync(new BuildRequest { Kind = TriggerKind.S3Upload, Bucket = stack.Bucket, Key = "builds/big/build.json", Sequencer = "01" }, CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        var prefix = state.StagingPrefix;
        Assert.Equal([$"{prefix}files/payload/", $"{prefix}files/payload/one.bin"], Assert.Single(state.Builds!).Created.StagedKeys);
        // Each staged object has its source's MD5 (the ETag of a single-part object): the same bytes, copied by S3.
        foreach (var name in names)
        {
            var staged = await stack.Clients.S3.GetObjectMetadataAsync(stack.Bucket, $"{prefix}files/{name}");
            Assert.Equal((sourceTags[name], (long)FileBytes), (staged.ETag, staged.ContentLength));
        }

        // Reading the files through the function held each about three times (issue 14 item 8: 900 MB for this
        // folder); now what Prepare allocates is bookkeeping.
        Assert.True(allocated < 32L * 1024 * 1024, $"Prepare allocated {allocated:N0} bytes staging {3 * FileBytes:N0} bytes");
    }

    [Fact]
    public async Task An_object_above_the_single_copy_limit_is_copied_in_parts_byte_for_byte()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        var content = new byte[12 * 1024 * 1024 + 123];
        new Random(7).NextBytes(content);
        await stack.Clients.S3.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = "builds/x/big.iso", InputStream = new MemoryStream(content) });
        // S3's limit is 5 GiB; with 5 MiB here the same code path (UploadPartCopy) runs on 12 MiB.
        IObjectStore store = new SdkObjectStore(stack.Clients.S3, singleCopyLimit: 5 * 1024 * 1024);

        Assert.True(await store.CopyAsync(stack.Bucket, "builds/x/big.iso", "staging/b/files/big.iso", CancellationToken.None));
        Assert.False(await store.CopyAsync(stack.Bucket, "builds/x/missing.iso", "staging/b/files/missing.iso", CancellationToken.None));

        var copied = await store.GetAsync(stack.Bucket, "staging/b/files/big.iso", CancellationToken.None);
        Assert.True(content.AsSpan().SequenceEqual(copied!.Content.Span));
        // A multipart object's ETag ends in -{parts}: three parts of 5 MiB, 5 MiB and the rest.
        Assert.EndsWith("-3\"", copied.ETag, StringComparison.Ordinal);
    }
}
