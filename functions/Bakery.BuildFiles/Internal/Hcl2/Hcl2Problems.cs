using Bakery.Hcl;
using Bakery.Hcl.Evaluation;
using Bakery.Hcl.Syntax;

namespace Bakery.BuildFiles.Internal.Hcl2;

/// <summary>Every problem of one HCL2 load, as <see cref="Diagnostic"/>s (FILE:LINE:COL, the block path, a suggestion).</summary>
internal sealed class Hcl2Problems
{
    private readonly List<Diagnostic> _errors = [];
    private readonly HashSet<Diagnostic> _seen = [];

    public IReadOnlyList<Diagnostic> Errors => _errors;

    public List<Diagnostic> Warnings { get; } = [];

    public void Error(HclPosition position, string path, string message, string? suggestion = null) =>
        AddDiagnostic(new Diagnostic(position.File, position.Line, position.Column, path, message, suggestion));

    public void ErrorElsewhere(string origin, string message, string? suggestion) =>
        AddDiagnostic(new Diagnostic(origin, 0, 0, "", message, suggestion));

    /// <summary>A problem of a kind callers act on (see <see cref="DiagnosticCode"/>).</summary>
    public void Error(HclPosition position, string path, DiagnosticCode code, string message) =>
        AddDiagnostic(new Diagnostic(position.File, position.Line, position.Column, path, message, null) { Code = code });

    /// <summary>A problem of a kind callers act on, in another file or none (a -var).</summary>
    public void ErrorElsewhere(string origin, DiagnosticCode code, string message) =>
        AddDiagnostic(new Diagnostic(origin, 0, 0, "", message, null) { Code = code });

    public void Add(HclException exception, string path) => Error(exception.Position, path, exception.Detail, exception.Suggestion);

    public void AddDiagnostic(Diagnostic diagnostic)
    {
        if (_seen.Add(diagnostic))
        {
            _errors.Add(diagnostic);
        }
    }

    /// <summary>
    /// True when an expression reads a value not known in this load (<see cref="Hcl2Unknown"/>): an error evaluating
    /// it then makes the value unknown instead (jsondecode of a secret not read yet is not a mistake of the template).
    /// </summary>
    public Func<HclExpression, bool>? ReadsUnknown { get; set; }

    /// <summary>The attribute's value, or null after recording why it has none.</summary>
    public HclValue? Evaluate(HclAttribute attribute, string path, HclContext context)
    {
        try
        {
            return HclEvaluator.Evaluate(attribute.Value, context);
        }
        catch (HclException exception)
        {
            if (ReadsUnknown?.Invoke(attribute.Value) == true)
            {
                return Hcl2Unknown.Of($"{path}.{attribute.Name}");
            }

            Add(exception, $"{path}.{attribute.Name}");
            return null;
        }
    }

    public HclValue? Convert(HclTypeConstraint type, HclValue value, HclPosition position, string path, string what)
    {
        try
        {
            return type.Convert(value, what);
        }
        catch (HclFunctionException exception)
        {
            Error(position, path, DiagnosticCode.VariableValueInvalid, $"{exception.Message} (the variable's type is {type})");
            return null;
        }
    }
}
