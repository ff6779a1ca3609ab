using System.Text;
using Amazon.S3.Model;
using Bakery.Core.Aws;
using Bakery.Testing.Moto;
using Bakery.Testing;

namespace Bakery.Integration.Tests.Steps;

/// <summary>The instance fetches scripts and returns downloads through presigned URLs: they must work as issued.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(MotoCollection.Name)]
public class PresignedUrlTests(MotoFixture moto)
{
    [Fact]
    public async Task A_presigned_GET_and_PUT_reach_the_object_through_the_configured_endpoint()
    {
        using var clients = new AwsClients();
        var objects = new SdkAwsServices(clients).Objects;
        var bucket = $"presign-{Guid.NewGuid():N}"[..30];
        await clients.S3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        await objects.PutAsync(bucket, "staging/b/files/x.sh", Encoding.UTF8.GetBytes("echo hi\n"), "text/x-shellscript", CancellationToken.None);

        var get = await objects.PresignGetAsync(bucket, "staging/b/files/x.sh", TimeSpan.FromMinutes(5), CancellationToken.None);
        var put = await objects.PresignPutAsync(bucket, "staging/b/downloads/y.txt", TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.StartsWith(moto.Endpoint.GetLeftPart(UriPartial.Authority), get, StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Equal("echo hi\n", await http.GetStringAsync(new Uri(get)));
        using var upload = await http.PutAsync(new Uri(put), new StringContent("from the instance"));
        upload.EnsureSuccessStatusCode();
        using var stored = await clients.S3.GetObjectAsync(bucket, "staging/b/downloads/y.txt");
        using var reader = new StreamReader(stored.ResponseStream);
        Assert.Equal("from the instance", await reader.ReadToEndAsync());
    }
}
