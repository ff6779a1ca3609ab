using Bakery.Core.Aws.Json;

namespace Bakery.Core.Tests.Aws.Json;

/// <summary>Endpoints are found as the SDKs find theirs: service variable, global variable, then the regional endpoint.</summary>
public class AwsJsonEndpointsTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Without_configuration_the_regional_endpoint()
    {
        Assert.Equal(new Uri("https://secretsmanager.eu-west-1.amazonaws.com/"), AwsJsonEndpoints.Resolve(AwsJsonService.SecretsManager, "eu-west-1", Env()));
        Assert.Equal(new Uri("https://events.cn-north-1.amazonaws.com.cn/"), AwsJsonEndpoints.Resolve(AwsJsonService.EventBridge, "cn-north-1", Env()));
    }

    [Fact]
    public void The_service_variable_wins_over_the_global_one()
    {
        var env = Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:1/"), ("AWS_ENDPOINT_URL_EVENTBRIDGE", "http://127.0.0.1:2/"));

        Assert.Equal(new Uri("http://127.0.0.1:2/"), AwsJsonEndpoints.Resolve(AwsJsonService.EventBridge, "us-east-1", env));
        Assert.Equal(new Uri("http://127.0.0.1:1/"), AwsJsonEndpoints.Resolve(AwsJsonService.SecretsManager, "us-east-1", env));
    }

    [Fact]
    public void Configured_endpoints_can_be_ignored()
    {
        var env = Env(("AWS_ENDPOINT_URL", "http://127.0.0.1:1/"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));

        Assert.Equal(new Uri("https://events.us-east-1.amazonaws.com/"), AwsJsonEndpoints.Resolve(AwsJsonService.EventBridge, "us-east-1", env));
    }

    [Fact]
    public void A_configured_endpoint_that_is_not_a_url_is_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            AwsJsonEndpoints.Resolve(AwsJsonService.EventBridge, "us-east-1", Env(("AWS_ENDPOINT_URL_EVENTBRIDGE", "not a url"))));

        Assert.Contains("AWS_ENDPOINT_URL_EVENTBRIDGE", error.Message, StringComparison.Ordinal);
    }
}
