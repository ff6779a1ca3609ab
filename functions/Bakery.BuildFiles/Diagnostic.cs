namespace Bakery.BuildFiles;

/// <summary>
/// One problem (or warning) in a build file. <see cref="Line"/> and <see cref="Column"/> are 1-based; 0 means the problem
/// has no place in a file (e.g. a <c>-var</c> on the command line).
/// </summary>
public sealed record Diagnostic(string File, int Line, int Column, string JsonPath, string Message, string? Suggestion)
{
    /// <summary>What kind of problem this is; callers act on this, never on <see cref="Message"/>.</summary>
    public DiagnosticCode Code { get; init; }

    /// <summary><c>FILE:LINE:COL: JSON.PATH: message (did you mean X?)</c>.</summary>
    public override string ToString()
    {
        var location = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        var path = JsonPath.Length > 0 ? $" {JsonPath}:" : "";
        var suggestion = Suggestion is null ? "" : $" (did you mean {Suggestion}?)";
        return $"{location}:{path} {Message}{suggestion}";
    }
}
