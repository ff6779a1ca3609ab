using System.Text;

namespace Bakery.Local.Instances;

/// <summary>One command on one local instance, as SSM keeps it: status, response code, output, times.</summary>
public sealed class LocalCommandInvocation
{
    /// <summary>AWS returns the first 24,000 characters of stdout in GetCommandInvocation (StandardOutputContent).</summary>
    public const int StandardOutputLimit = 24_000;

    /// <summary>AWS returns the first 8,000 characters of stderr in GetCommandInvocation (StandardErrorContent).</summary>
    public const int StandardErrorLimit = 8_000;

    // Kept whole for OutputS3BucketName (S3 gets everything), within reason.
    private const int KeptOutputLimit = 16 * 1024 * 1024;

    private readonly Lock gate = new();
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();

    public required string CommandId { get; init; }

    public required string InstanceId { get; init; }

    public required string DocumentName { get; init; }

    public string? Comment { get; init; }

    public required IReadOnlyList<string> Commands { get; init; }

    public required int ExecutionTimeoutSeconds { get; init; }

    public string? OutputS3BucketName { get; init; }

    public string? OutputS3KeyPrefix { get; init; }

    public string? OutputS3Region { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public string Status { get; private set; } = "Pending";

    public string StatusDetails { get; private set; } = "Pending";

    /// <summary>The script's exit code; -1 while it runs, and when it ended without one (timeout, reboot, cancel).</summary>
    public int ResponseCode { get; private set; } = -1;

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public bool IsFinished => Status is "Success" or "Failed" or "TimedOut" or "Cancelled";

    /// <summary>The plugin's name as AWS reports it, from the document.</summary>
    public string PluginName => DocumentName == "AWS-RunPowerShellScript" ? "aws:runPowerShellScript" : "aws:runShellScript";

    /// <summary>The plugin's folder name in S3 output keys.</summary>
    public string PluginFolder => DocumentName == "AWS-RunPowerShellScript" ? "awsrunPowerShellScript" : "awsrunShellScript";

    public string Output
    {
        get
        {
            lock (gate)
            {
                return stdout.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (gate)
            {
                return stderr.ToString();
            }
        }
    }

    public void AppendOutput(string line) => Append(stdout, line);

    public void AppendError(string line) => Append(stderr, line);

    public void Started(DateTimeOffset at)
    {
        StartedAt ??= at;
        Status = "InProgress";
        StatusDetails = "InProgress";
    }

    /// <summary>Ends it once; later calls change nothing (a timeout and the exit can race).</summary>
    public bool End(string status, int responseCode, DateTimeOffset at, string? details = null)
    {
        lock (gate)
        {
            if (IsFinished)
            {
                return false;
            }

            Status = status;
            StatusDetails = details ?? (status == "TimedOut" ? "ExecutionTimedOut" : status);
            ResponseCode = responseCode;
            EndedAt = at;
            return true;
        }
    }

    private void Append(StringBuilder buffer, string line)
    {
        lock (gate)
        {
            if (buffer.Length < KeptOutputLimit)
            {
                buffer.Append(line).Append('\n');
            }
        }
    }
}
