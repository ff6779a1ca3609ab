using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Bakery.Local.StandIn;

namespace Bakery.Cli.Stack;

/// <summary>
/// The local stand-in seen as a deployed stack named <c>local</c>: <c>bakery local up</c> writes its
/// <c>/bakery/local/config</c> into the stand-in's SSM, so <c>AWS_ENDPOINT_URL=... bakery build --stack local</c> takes
/// the same path as against AWS.
/// </summary>
internal static class LocalStack
{
    public const string Name = "local";

    public static StackConfig Config(StandInDescription standIn)
    {
        ArgumentNullException.ThrowIfNull(standIn);
        return new StackConfig
        {
            Bucket = standIn.Bucket,
            LedgerTable = standIn.LedgerTable,
            Region = standIn.Region,
            StateMachineArn = LocalExecutionTrigger.ArnFor(standIn),
        };
    }

    public static async Task WriteConfigAsync(StandInDescription standIn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(standIn);
        using var ssm = new AmazonSimpleSystemsManagementClient(
            new Amazon.Runtime.BasicAWSCredentials(
                Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") ?? "testing", Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") ?? "testing"),
            new AmazonSimpleSystemsManagementConfig { ServiceURL = standIn.AwsEndpoint, AuthenticationRegion = standIn.Region });
        await ssm.PutParameterAsync(new PutParameterRequest
        {
            Name = StackConfig.ParameterName(Name),
            Type = ParameterType.String,
            Overwrite = true,
            Value = Config(standIn).ToJson(),
            Description = "Bakery stack outputs as JSON (the local stand-in), read by `bakery build --stack local`.",
        }, cancellationToken).ConfigureAwait(false);
    }
}
