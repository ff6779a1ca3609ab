namespace Bakery.Core.Aws;

/// <summary>SSM Run Command, in one region.</summary>
public interface ICommands
{
    /// <summary>SendCommand to one instance; throws <c>InvalidInstanceId</c> while the SSM agent is not registered yet.</summary>
    Task<string> SendAsync(CommandRequest request, CancellationToken cancellationToken);

    /// <summary>GetCommandInvocation; throws <c>InvocationDoesNotExist</c> for a moment after SendCommand.</summary>
    Task<CommandInvocation> GetInvocationAsync(string commandId, string instanceId, CancellationToken cancellationToken);
}
