namespace Bakery.BuildFiles;

/// <summary>
/// What kind of problem a <see cref="Diagnostic"/> is, for callers that act on it (Prepare waits for a variable file
/// that may still be uploading only when a variable's value is what is wrong). Callers decide on the code, never on
/// the message, which is written for people and may change.
/// </summary>
public enum DiagnosticCode
{
    /// <summary>Any problem no caller acts on by kind.</summary>
    General = 0,

    /// <summary>A declared variable has no value (no default, no -var, no var file): a var file may still bring one.</summary>
    VariableHasNoValue,

    /// <summary>A variable's value has the wrong type or fails its validation: a var file may still change it.</summary>
    VariableValueInvalid,
}
