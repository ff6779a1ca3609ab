using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Bakery.Core.Aws;
using Bakery.Core.Aws.Internal;
using Bakery.Core.Aws.Json;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Core.Tests.Aws.Json;

/// <summary>The JSON 1.1 client: what it sends (target, content type, body, SigV4 signature) and how it reads errors.</summary>
public class AwsJsonClientTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 4, 13, 45, 7, TimeSpan.Zero));

    private static AwsJsonClient Client(RecordingHandler handler, AwsJsonService service, string? token = null, string endpoint = "https://secretsmanager.eu-west-1.amazonaws.com/") =>
        new(new HttpClient(handler), service, "eu-west-1", new Uri(endpoint),
            _ => Task.FromResult(new ImmutableCredentials(AccessKey, SecretKey, token)), Clock);

    [Fact]
    public async Task A_json_1_0_service_is_sent_and_signed_with_its_own_content_type()
    {
        // Step Functions speaks JSON 1.0 (the CLI's StartExecution); the content type is one of the signed headers.
        var service = new AwsJsonService("Step Functions", "states", "AWSStepFunctions", "states", "SFN") { ContentType = "application/x-amz-json-1.0" };
        var client = Client(new RecordingHandler(HttpStatusCode.OK, "{}"), service, endpoint: "https://states.eu-west-1.amazonaws.com/");

        using var request = await client.SignedRequestAsync("StartExecution", Encoding.UTF8.GetBytes("{}"), CancellationToken.None);

        Assert.Equal("AWSStepFunctions.StartExecution", request.Headers.GetValues("X-Amz-Target").Single());
        Assert.Equal("application/x-amz-json-1.0", request.Content!.Headers.ContentType!.MediaType);
        Assert.Contains("content-type;host;x-amz-date;x-amz-target", request.Headers.GetValues("Authorization").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSecretValue_posts_the_target_and_json_body_and_reads_the_answer()
    {
        var handler = new RecordingHandler(HttpStatusCode.OK,
            """{"ARN":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:bakery/db-AbCdEf","Name":"bakery/db","VersionId":"v1","SecretString":"s3cr3t","CreatedDate":1.7E9}""");

        var value = await new JsonSecrets(Client(handler, AwsJsonService.SecretsManager)).GetValueAsync("bakery/db", null, "AWSPREVIOUS", CancellationToken.None);

        Assert.Equal(new SecretValue("arn:aws:secretsmanager:eu-west-1:123456789012:secret:bakery/db-AbCdEf", "v1", "s3cr3t", null), value with { SecretBinary = null });
        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("secretsmanager.GetSecretValue", request.Headers.GetValues("X-Amz-Target").Single());
        Assert.Equal("application/x-amz-json-1.1", request.Content!.Headers.ContentType!.MediaType);
        // Unset fields are left out, as the SDKs leave them out.
        Assert.Equal("""{"SecretId":"bakery/db","VersionStage":"AWSPREVIOUS"}""", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public async Task A_binary_secret_is_read_from_base64()
    {
        var handler = new RecordingHandler(HttpStatusCode.OK, """{"ARN":"a","VersionId":"v","SecretBinary":"AAEC/w=="}""");

        var value = await new JsonSecrets(Client(handler, AwsJsonService.SecretsManager)).GetValueAsync("b", null, null, CancellationToken.None);

        Assert.Equal(new byte[] { 0, 1, 2, 255 }, value.SecretBinary);
        Assert.Null(value.SecretString);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("session-token/with+chars=")]
    public async Task The_signature_is_the_one_AWS_computes_for_the_request_sent(string? token)
    {
        var handler = new RecordingHandler(HttpStatusCode.OK, """{"FailedEntryCount":0,"Entries":[{"EventId":"e1"}]}""");
        var client = Client(handler, AwsJsonService.EventBridge, token, "http://127.0.0.1:4566/");

        await new JsonEvents(client).PutAsync("default", [new BuildEvent("bakery", "Bakery Build Succeeded", "{\"buildId\":\"b\"}", [])], CancellationToken.None);

        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal("AWSEvents.PutEvents", request.Headers.GetValues("X-Amz-Target").Single());
        Assert.Equal("20261204T134507Z", request.Headers.GetValues("X-Amz-Date").Single());
        Assert.Equal(token is not null, request.Headers.Contains("X-Amz-Security-Token"));
        var authorization = request.Headers.GetValues("Authorization").Single();
        Assert.Equal(SigV4Verifier.ExpectedAuthorization(request, body, AccessKey, SecretKey, "eu-west-1", "events"), authorization);
        Assert.Contains(token is null ? "SignedHeaders=content-type;host;x-amz-date;x-amz-target," : "x-amz-security-token;x-amz-target,", authorization, StringComparison.Ordinal);
        using var sent = JsonDocument.Parse(body);
        var entry = sent.RootElement.GetProperty("Entries")[0];
        Assert.Equal("Bakery Build Succeeded", entry.GetProperty("DetailType").GetString());
        Assert.Equal("default", entry.GetProperty("EventBusName").GetString());
        Assert.False(entry.TryGetProperty("Resources", out _));
    }

    [Fact]
    public async Task The_AWS_signature_test_suite_vector_comes_out_of_the_signer_the_client_uses()
    {
        // AWS's SigV4 test suite, "get-vanilla": the signer the client hands its canonical request to is AWS's own.
        var result = Amazon.Runtime.Internal.Auth.AWS4Signer.ComputeSignature(
            new ImmutableCredentials(AccessKey, SecretKey, null), "us-east-1", new DateTime(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc), "service", "host;x-amz-date",
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

        Assert.Equal("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", result.Signature);
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, """{"__type":"ResourceNotFoundException","message":"Secrets Manager can't find the specified secret."}""", "ResourceNotFoundException", false)]
    [InlineData(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.secretsmanager#AccessDeniedException","Message":"not authorized"}""", "AccessDeniedException", false)]
    [InlineData(HttpStatusCode.BadRequest, """{"__type":"ThrottlingException","message":"Rate exceeded"}""", "ThrottlingException", true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "<html>busy</html>", "InternalFailure", true)]
    public async Task Errors_carry_the_services_code_and_status_so_the_retry_filter_classifies_them(HttpStatusCode status, string body, string code, bool transient)
    {
        var handler = new RecordingHandler(status, body);

        var error = await Assert.ThrowsAsync<AmazonServiceException>(() => new JsonSecrets(Client(handler, AwsJsonService.SecretsManager)).GetValueAsync("x", null, null, CancellationToken.None));

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(transient, AwsErrors.IsTransient(error));
    }

    [Fact]
    public async Task The_error_type_header_names_the_code_when_the_body_does_not()
    {
        var handler = new RecordingHandler(HttpStatusCode.BadRequest, "{}", ("X-Amzn-ErrorType", "InvalidRequestException:http://internal.amazon.com/coral/"));

        var error = await Assert.ThrowsAsync<AmazonServiceException>(() => new JsonSecrets(Client(handler, AwsJsonService.SecretsManager)).GetValueAsync("x", null, null, CancellationToken.None));

        Assert.Equal("InvalidRequestException", error.ErrorCode);
    }

    [Fact]
    public async Task A_refused_event_fails_the_put_with_its_code()
    {
        var handler = new RecordingHandler(HttpStatusCode.OK,
            """{"FailedEntryCount":1,"Entries":[{"ErrorCode":"ThrottlingException","ErrorMessage":"slow down"}]}""");

        var error = await Assert.ThrowsAsync<AmazonServiceException>(() =>
            new JsonEvents(Client(handler, AwsJsonService.EventBridge)).PutAsync("bus", [new BuildEvent("bakery", "t", "{}", [])], CancellationToken.None));

        Assert.Equal("ThrottlingException", error.ErrorCode);
        Assert.True(AwsErrors.IsTransient(error));
    }

    [Fact]
    public async Task Through_AwsRetry_a_throttled_call_is_tried_again()
    {
        var handler = new RecordingHandler(HttpStatusCode.BadRequest, """{"__type":"ThrottlingException"}""");
        var secrets = new JsonSecrets(Client(handler, AwsJsonService.SecretsManager));

        await Assert.ThrowsAsync<Bakery.Core.Exceptions.AwsTransientError>(() =>
            AwsRetry.Immediate(3).RunAsync("GetSecretValue", token => secrets.GetValueAsync("x", null, null, token), CancellationToken.None));

        Assert.Equal(3, handler.Requests.Count);
    }
}
