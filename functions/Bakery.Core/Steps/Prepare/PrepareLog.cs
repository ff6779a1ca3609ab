using Microsoft.Extensions.Logging;

namespace Bakery.Core.Steps.Prepare;

/// <summary>Prepare's log lines; their placeholders become the lines' fields.</summary>
internal static partial class PrepareLog
{
    /// <summary>A warning <c>bakery validate</c> would print for the file (already redacted by the loader).</summary>
    [LoggerMessage(Level = LogLevel.Warning, Message = "Build file {buildFile}: {warning}")]
    public static partial void BuildFileWarning(ILogger logger, string buildFile, string warning);
}
