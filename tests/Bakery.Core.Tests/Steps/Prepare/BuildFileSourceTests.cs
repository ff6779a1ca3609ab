using System.Text.Json;
using Bakery.Core.Aws;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps.Prepare;
using Bakery.Core.Tests.Steps.Fakes;
using Bakery.Core.Triggers;

namespace Bakery.Core.Tests.Steps.Prepare;

public sealed class BuildFileSourceTests
{
    private readonly InMemoryObjectStore store = new();

    private BuildFileSource Source() => new(store, AwsRetry.Immediate(), "stack-bucket");

    [Fact]
    public async Task An_upload_named_url_encoded_is_found_under_its_decoded_key()
    {
        store.Put("b", "builds/my web/my web.json", "{}");

        var stored = await Source().FetchAsync(
            new BuildRequest { Kind = TriggerKind.S3Upload, Bucket = "b", Key = "builds/my+web/my%20web.json", Sequencer = "1" }, CancellationToken.None);

        Assert.Equal("builds/my web/my web.json", stored.Key);
    }

    [Fact]
    public async Task A_missing_build_file_is_refused_with_its_address()
    {
        var error = await Assert.ThrowsAsync<BuildInputInvalid>(() => Source().FetchAsync(
            new BuildRequest { Kind = TriggerKind.S3Upload, Bucket = "b", Key = "builds/x/x.json", Sequencer = "1" }, CancellationToken.None));

        Assert.StartsWith("s3://b/builds/x/x.json does not exist", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x.json", "s3://b/builds/x/")]
    [InlineData("builds/x.json", "s3://b/builds/x/")]
    [InlineData("staging/abc/x.json", "s3://b/builds/x/")]
    public async Task A_build_file_without_a_folder_of_its_own_under_builds_is_refused(string key, string fix)
    {
        var request = new BuildRequest { Kind = TriggerKind.S3Upload, Bucket = "b", Key = key, Sequencer = "1" };

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Source().LocateAsync(request, "id", new StoredObject(key, new byte[] { 1 }), CancellationToken.None));

        Assert.Contains($"put it and its files in {fix}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inline_build_file_is_kept_in_the_stack_bucket_in_a_folder_of_its_own()
    {
        using var document = JsonDocument.Parse("{\"builders\": []}");
        var request = new BuildRequest { Kind = TriggerKind.Console, InlineBuildFile = document.RootElement.Clone() };

        var located = await Source().LocateAsync(request, "build-7", fetched: null, CancellationToken.None);

        Assert.Equal("s3://stack-bucket/inline/build-7/build.json", located.Described);
        Assert.Equal("inline/build-7/", located.Source.Prefix);
        Assert.Equal("{\"builders\": []}", store.Text("stack-bucket", "inline/build-7/build.json"));
    }

    [Theory]
    [InlineData("builds/web/web.json", "builds/web/")]
    [InlineData("root.json", "")]
    public void The_folder_of_a_key_keeps_its_slash(string key, string folder) => Assert.Equal(folder, BuildFileSource.FolderOf(key));
}
