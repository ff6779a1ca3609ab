namespace Bakery.BuildFiles.Internal;

/// <summary>Collects every problem of one load (errors are never thrown), without duplicates, in the order found.</summary>
internal sealed class DiagnosticBag(string file)
{
    private readonly List<Diagnostic> _errors = [];
    private readonly List<Diagnostic> _warnings = [];
    private readonly HashSet<Diagnostic> _seen = [];

    public string File { get; } = file;

    public int ErrorCount => _errors.Count;

    public IReadOnlyList<Diagnostic> Errors => _errors;

    public IReadOnlyList<Diagnostic> Warnings => _warnings;

    public void Error(JsonNode node, string message, string? suggestion = null) =>
        Error(node.Position, node.Path, message, suggestion);

    public void Error(SourcePosition position, string path, string message, string? suggestion = null) =>
        Add(_errors, new Diagnostic(File, position.Line, position.Column, path, message, suggestion));

    /// <summary>A problem of a kind callers act on (see <see cref="DiagnosticCode"/>).</summary>
    public void Error(JsonNode node, DiagnosticCode code, string message) =>
        Add(_errors, new Diagnostic(File, node.Position.Line, node.Position.Column, node.Path, message, null) { Code = code });

    public void Warning(SourcePosition position, string path, string message) =>
        Add(_warnings, new Diagnostic(File, position.Line, position.Column, path, message, null));

    /// <summary>A problem that belongs to another file (a var file) or to no file (<c>-var</c>, <c>-only</c>).</summary>
    public void ErrorElsewhere(Diagnostic diagnostic) => Add(_errors, diagnostic);

    public void WarningElsewhere(Diagnostic diagnostic) => Add(_warnings, diagnostic);

    /// <summary>Moves everything <paramref name="other"/> (another file's bag) collected into this one.</summary>
    public void Absorb(DiagnosticBag other)
    {
        foreach (var error in other.Errors)
        {
            ErrorElsewhere(error);
        }

        foreach (var warning in other.Warnings)
        {
            WarningElsewhere(warning);
        }
    }

    private void Add(List<Diagnostic> list, Diagnostic diagnostic)
    {
        if (_seen.Add(diagnostic))
        {
            list.Add(diagnostic);
        }
    }
}
