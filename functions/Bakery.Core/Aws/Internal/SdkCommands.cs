using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Bakery.Core.Aws.Internal;

internal sealed class SdkCommands(IAmazonSimpleSystemsManagement ssm) : ICommands
{
    public async Task<string> SendAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, List<string>>(StringComparer.Ordinal) { ["commands"] = [.. request.Commands] };
        if (request.ExecutionTimeoutSeconds is { } timeout)
        {
            parameters["executionTimeout"] = [timeout.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        }

        var response = await ssm.SendCommandAsync(
            new SendCommandRequest
            {
                InstanceIds = [request.InstanceId],
                DocumentName = request.DocumentName,
                Parameters = parameters,
                Comment = request.Comment is { Length: > 100 } long_ ? long_[..100] : request.Comment,
                OutputS3BucketName = request.OutputS3BucketName,
                OutputS3KeyPrefix = request.OutputS3KeyPrefix,
            },
            cancellationToken).ConfigureAwait(false);
        return response.Command.CommandId;
    }

    public async Task<CommandInvocation> GetInvocationAsync(string commandId, string instanceId, CancellationToken cancellationToken)
    {
        var response = await ssm.GetCommandInvocationAsync(
            new GetCommandInvocationRequest { CommandId = commandId, InstanceId = instanceId },
            cancellationToken).ConfigureAwait(false);
        return new CommandInvocation(commandId, response.Status?.Value ?? "Pending")
        {
            StatusDetails = response.StatusDetails,
            ExitCode = response.ResponseCode is { } code && code >= 0 ? code : null,
            StandardOutput = response.StandardOutputContent,
            StandardError = response.StandardErrorContent,
        };
    }
}
