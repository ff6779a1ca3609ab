using System.Net.Http.Headers;
using Amazon.S3;
using Amazon.S3.Model;
using Bakery.Testing.Moto;
using Bakery.Testing;

namespace Bakery.Integration.Tests.StandIn;

/// <summary>
/// S3 through the plain client: against an IP-address endpoint the SDK addresses buckets path-style by itself
/// (no ForcePathStyle, nothing moto-specific); presigned URLs need the endpoint's scheme (see ProtocolOf).
/// </summary>
[Collection(MotoCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class S3StandInTests(MotoFixture moto) : IAsyncLifetime
{
    private const string Bucket = "bakery-stand-in";
    private readonly AmazonS3Client _s3 = StandInClients.S3();

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        await _s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
    }

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_object_put_can_be_read_back_and_listed_under_its_prefix()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "builds/web.json", ContentBody = "{\"builders\":[]}" });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "other/readme.txt", ContentBody = "x" });

        using var read = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = "builds/web.json" });
        using var reader = new StreamReader(read.ResponseStream);
        var listed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "builds/" });

        Assert.Equal("{\"builders\":[]}", await reader.ReadToEndAsync());
        Assert.Equal(["builds/web.json"], (listed.S3Objects ?? []).Select(item => item.Key));
    }

    // Presigned URLs are https unless the request says otherwise, even when the configured endpoint is http
    // (SDK v4 behaviour). The standard fix, right on AWS too: take the scheme from the client's endpoint.
    private static Protocol ProtocolOf(AmazonS3Client client) =>
        client.Config.ServiceURL?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS;

    [Fact]
    public async Task Presigned_urls_for_put_and_get_work_with_a_plain_http_client()
    {
        using var http = new HttpClient();
        var putUrl = await _s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = "staging/build-1/script.sh",
            Verb = HttpVerb.PUT,
            Protocol = ProtocolOf(_s3),
            Expires = DateTime.UtcNow.AddMinutes(10),
            ContentType = "text/x-shellscript",
        });
        using var content = new StringContent("echo hi");
        content.Headers.ContentType = new MediaTypeHeaderValue("text/x-shellscript");

        using var put = await http.PutAsync(new Uri(putUrl), content);
        var getUrl = await _s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = Bucket,
            Key = "staging/build-1/script.sh",
            Verb = HttpVerb.GET,
            Protocol = ProtocolOf(_s3),
            Expires = DateTime.UtcNow.AddMinutes(10),
        });

        Assert.True(put.IsSuccessStatusCode, $"PUT {putUrl} answered {put.StatusCode}");
        Assert.StartsWith(moto.Endpoint.GetLeftPart(UriPartial.Authority), getUrl, StringComparison.Ordinal);
        Assert.Equal("echo hi", await http.GetStringAsync(new Uri(getUrl)));
    }

    [Fact]
    public void A_new_client_reports_the_endpoint_from_AWS_ENDPOINT_URL_before_any_call()
    {
        using var s3 = StandInClients.S3();

        Assert.Equal(moto.Endpoint.GetLeftPart(UriPartial.Authority), s3.Config.ServiceURL?.TrimEnd('/'));
    }

    [Fact]
    public async Task Deleting_a_missing_object_is_not_an_error()
    {
        var response = await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = "staging/none" });

        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.HttpStatusCode);
    }
}
