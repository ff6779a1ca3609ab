using Amazon.Runtime.Credentials;
using Bakery.Core.Aws.Json;

namespace Bakery.Cli.Stack;

/// <summary>
/// Starts an execution of a stack's state machine (<c>states:StartExecution</c>), as the console or <c>aws stepfunctions
/// start-execution</c> would. The feed serves no Step Functions SDK package, so the call goes over Bakery.Core's signed
/// JSON client: Step Functions speaks JSON 1.0 with the target prefix <c>AWSStepFunctions</c> and signs as <c>states</c>
/// (its API reference); <c>AWS_ENDPOINT_URL_SFN</c> / <c>AWS_ENDPOINT_URL</c> point it elsewhere, as for the SDKs.
/// </summary>
internal static class StepFunctionsStarter
{
    public static readonly AwsJsonService Service = new("Step Functions", "states", "AWSStepFunctions", "states", "SFN")
    {
        ContentType = "application/x-amz-json-1.0",
    };

    /// <summary>Starts <paramref name="stateMachineArn"/> with <paramref name="input"/>; returns the execution's ARN.</summary>
    /// <exception cref="Amazon.Runtime.AmazonServiceException">Step Functions refused (access denied, no such state machine, ...).</exception>
    public static async Task<string> StartAsync(string stateMachineArn, string region, string input, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var credentials = DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
        var client = new AwsJsonClient(http, Service, region, AwsJsonEndpoints.Resolve(Service, region, Environment.GetEnvironmentVariable),
            async token => await credentials.GetCredentialsAsync().WaitAsync(token).ConfigureAwait(false));
        var response = await client.SendAsync(
            "StartExecution",
            new StartExecutionRequest { StateMachineArn = stateMachineArn, Input = input },
            StepFunctionsJsonContext.Default.StartExecutionRequest,
            StepFunctionsJsonContext.Default.StartExecutionResponse,
            cancellationToken).ConfigureAwait(false);
        return response.ExecutionArn ?? stateMachineArn;
    }
}
