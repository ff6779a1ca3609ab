using System.Net;
using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Bakery.Core.Aws;
using Bakery.Local.Aws;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bakery.Functions.Tests.StandIn;

/// <summary>The proxy between the SDK and an upstream that records what reached it (a stand-in for moto).</summary>
public sealed class Ec2ThrottlingProxyTests : IAsyncLifetime
{
    private const string DescribeRegionsAnswer = """
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId><regionInfo><item><regionName>us-east-1</regionName><regionEndpoint>ec2.us-east-1.amazonaws.com</regionEndpoint></item></regionInfo></DescribeRegionsResponse>
        """;

    private readonly List<(string Method, string Target, string Host, string ContentType, byte[] Body)> received = [];
    private WebApplication upstream = null!;
    private Uri upstreamEndpoint = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        upstream = builder.Build();
        upstream.Run(async http =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            lock (received)
            {
                received.Add((http.Request.Method, http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget,
                    http.Request.Host.Value ?? "", http.Request.ContentType ?? "", body.ToArray()));
            }

            if (http.Request.HasFormContentType)
            {
                http.Response.ContentType = "text/xml;charset=UTF-8";
                await http.Response.WriteAsync(DescribeRegionsAnswer);
                return;
            }

            http.Response.StatusCode = StatusCodes.Status201Created;
            http.Response.Headers["x-upstream"] = "yes";
            await http.Response.Body.WriteAsync(body.ToArray());
        });
        await upstream.StartAsync();
        var address = new Uri(upstream.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        upstreamEndpoint = new Uri($"http://127.0.0.1:{address.Port}");
    }

    public async Task DisposeAsync()
    {
        await upstream.StopAsync();
        await upstream.DisposeAsync();
    }

    [Fact]
    public async Task Every_third_EC2_call_gets_EC2s_own_throttling_error_and_never_reaches_upstream()
    {
        await using var proxy = await Ec2ThrottlingProxy.StartAsync(upstreamEndpoint, Ec2ThrottlePlan.Parse("1/3"));
        using var ec2 = Ec2Client(proxy.Endpoint);

        var outcomes = new List<Exception?>();
        for (var call = 0; call < 6; call++)
        {
            try
            {
                var regions = await ec2.DescribeRegionsAsync(new DescribeRegionsRequest());
                Assert.Equal("us-east-1", Assert.Single(regions.Regions).RegionName);
                outcomes.Add(null);
            }
            catch (AmazonEC2Exception error)
            {
                outcomes.Add(error);
            }
        }

        Assert.Equal([false, false, true, false, false, true], outcomes.Select(o => o is not null));
        var throttled = Assert.IsType<AmazonEC2Exception>(outcomes[2]);
        Assert.Equal("RequestLimitExceeded", throttled.ErrorCode);
        Assert.Equal("Request limit exceeded.", throttled.Message);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, throttled.StatusCode);
        Assert.False(string.IsNullOrEmpty(throttled.RequestId));
        Assert.True(AwsErrors.IsTransient(throttled));

        Assert.Equal(4, received.Count);
        Assert.All(received, r => Assert.Equal(proxy.Endpoint.Authority, r.Host));
        var log = proxy.Calls;
        Assert.Equal(6, log.Count);
        Assert.All(log, c => Assert.Equal(("ec2", "DescribeRegions"), (c.Service, c.Action)));
        Assert.Equal([200, 200, 503, 200, 200, 503], log.Select(c => c.Status));
        Assert.All(log, c => Assert.True(c.Answered >= c.Arrived));
        Assert.All(log, c => Assert.Equal(1, c.SdkAttempt));
        Assert.All(log, c => Assert.Equal("testing", c.AccessKeyId)); // who signed: under the local Lambda service, the function
        // The 3rd call's retry is the 4th; the 6th was not retried.
        Assert.Equal(1, Assert.Single(proxy.RetryGaps()).Retry);
    }

    [Fact]
    public async Task A_type_without_capacity_gets_EC2s_InsufficientInstanceCapacity_and_other_types_and_markets_pass()
    {
        await using var proxy = await Ec2ThrottlingProxy.StartAsync(upstreamEndpoint, Ec2ThrottlePlan.None);
        proxy.SetCapacity(Ec2CapacityPlan.Parse("t3.micro, t3a.micro:spot"));
        using var ec2 = Ec2Client(proxy.Endpoint);
        RunInstancesRequest Run(string type, bool spot) => new()
        {
            ImageId = "ami-12345678",
            InstanceType = InstanceType.FindValue(type),
            MinCount = 1,
            MaxCount = 1,
            InstanceMarketOptions = spot ? new InstanceMarketOptionsRequest { MarketType = MarketType.Spot } : null,
        };

        var refused = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.RunInstancesAsync(Run("t3.micro", spot: false)));
        var refusedSpot = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.RunInstancesAsync(Run("t3a.micro", spot: true)));
        // The upstream answers every form with DescribeRegions; that the SDK cannot read it as RunInstances does not matter here.
        await Record.ExceptionAsync(() => ec2.RunInstancesAsync(Run("t3a.micro", spot: false)));
        await Record.ExceptionAsync(() => ec2.RunInstancesAsync(Run("t2.micro", spot: true)));

        Assert.Equal("InsufficientInstanceCapacity", refused.ErrorCode);
        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Contains("t3.micro capacity", refused.Message, StringComparison.Ordinal);
        Assert.Equal("InsufficientInstanceCapacity", refusedSpot.ErrorCode);
        Assert.False(AwsErrors.IsTransient(refused));
        Assert.Equal(2, received.Count);
        Assert.Equal([500, 500], proxy.Calls.Take(2).Select(c => c.Status));
    }

    [Theory]
    [InlineData("t3.micro:reserved")]
    [InlineData("micro")]
    [InlineData("t3.micro:spot:x")]
    public void A_capacity_setting_that_is_not_TYPE_or_TYPE_market_is_refused_naming_the_entry(string text)
    {
        var error = Assert.Throws<FormatException>(() => Ec2CapacityPlan.Parse(text));
        Assert.Contains(Ec2CapacityPlan.EnvironmentVariable, error.Message, StringComparison.Ordinal);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_requests_pass_through_unchanged_and_are_not_counted()
    {
        await using var proxy = await Ec2ThrottlingProxy.StartAsync(upstreamEndpoint, Ec2ThrottlePlan.Of(1, 1));
        using var http = new HttpClient();
        var payload = Encoding.UTF8.GetBytes("{\"key\":\"value with spaces\"}");
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var answer = await http.PutAsync(new Uri(proxy.Endpoint, "/bucket/builds/a%20b%2Bc.json?versionId=1"), content);

        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        Assert.Equal("yes", answer.Headers.GetValues("x-upstream").Single());
        Assert.Equal(payload, await answer.Content.ReadAsByteArrayAsync());
        var seen = Assert.Single(received);
        Assert.Equal(("PUT", "/bucket/builds/a%20b%2Bc.json?versionId=1", "application/json"), (seen.Method, seen.Target, seen.ContentType));
        Assert.Equal(payload, seen.Body);
        var call = Assert.Single(proxy.Calls);
        Assert.False(call.Throttled);
        Assert.False(call.IsEc2);
    }

    [Fact]
    public void Retry_gaps_run_from_each_throttled_answer_to_the_next_attempt_of_the_same_call()
    {
        var start = new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.Zero);
        ProxiedCall Call(int arrivedMs, string key, bool throttled) => new()
        {
            Arrived = start.AddMilliseconds(arrivedMs),
            Answered = start.AddMilliseconds(arrivedMs + 2),
            Service = "ec2",
            Action = key,
            Throttled = throttled,
            CallKey = key,
        };

        var gaps = Ec2ThrottlingProxy.RetryGapsOf(
        [
            Call(0, "A", throttled: true),
            Call(10, "B", throttled: false),
            Call(102, "A", throttled: true),
            Call(20, "C", throttled: false),
            Call(404, "A", throttled: false),
            Call(500, "B", throttled: false),
        ]);

        Assert.Equal(
            [("A", 1, 100.0), ("A", 2, 300.0)],
            gaps.Select(g => (g.Action, g.Retry, g.Delay.TotalMilliseconds)));
    }

    private static AmazonEC2Client Ec2Client(Uri endpoint) => new(
        new BasicAWSCredentials("testing", "testing"),
        new AmazonEC2Config { ServiceURL = endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
}
