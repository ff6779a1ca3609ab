namespace Bakery.Core.Triggers;

/// <summary>Which of the three ways a build was started.</summary>
public enum TriggerKind
{
    /// <summary>A build file uploaded under <c>builds/</c> (S3 <c>Object Created</c> through EventBridge).</summary>
    S3Upload,
    /// <summary>EventBridge Scheduler naming a build file by <c>s3://</c> URI.</summary>
    Schedule,
    /// <summary>A console (or CLI) <c>StartExecution</c> naming a build file or carrying it inline.</summary>
    Console,
}
