using System.Net;

namespace Bakery.Local.StandIn;

/// <summary>
/// The one IAM call the stand-in needs: the builder's instance profile, which the stack's template creates on AWS.
/// The feed serves no IAM SDK package, so it is one form POST to the Query API; moto picks the service from the
/// credential scope of the Authorization header and does not check the signature.
/// </summary>
public static class StandInIam
{
    public static async Task CreateInstanceProfileAsync(Uri awsEndpoint, string name, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, awsEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Action"] = "CreateInstanceProfile",
                ["Version"] = "2010-05-08",
                ["InstanceProfileName"] = name,
            }),
        };
        request.Headers.TryAddWithoutValidation(
            "Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0");
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // An existing profile answers 409: the stand-in keeps what is already there.
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException(
                $"creating the instance profile {name} at {awsEndpoint} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }
    }
}
