namespace Bakery.Local.Lambda;

/// <summary>
/// One entry of a <see cref="LocalFaultPlan"/>: the function (handler, logical id or function name) answers with
/// <see cref="ErrorType"/> on the attempts from <see cref="FirstAttempt"/> to <see cref="LastAttempt"/> (1-based,
/// counted per function since the plan was set; null bounds mean "from the first" / "on every later one").
/// </summary>
public sealed record LocalFault
{
    /// <summary>The error type that makes the function time out (after running) instead of failing at once.</summary>
    public const string TimeoutErrorType = "Sandbox.Timedout";

    /// <summary>
    /// Not an error: the function runs to its end and its answer is held back until the fault plan is replaced (the
    /// answer is then delivered), its caller goes away (a killed workflow runner: the answer is dropped) or the
    /// function's timeout passes (<c>Sandbox.Timedout</c>). Holds a build mid-step, e.g. to kill its runner there.
    /// </summary>
    public const string HoldErrorType = "Local.Hold";

    public required string Function { get; init; }

    public required string ErrorType { get; init; }

    public int FirstAttempt { get; init; } = 1;

    public int? LastAttempt { get; init; }

    /// <summary>
    /// A timeout lets the function run to its end and drops its answer, as when a function did its work and then
    /// overran: the caller sees <c>Sandbox.Timedout</c> while the AWS calls have happened. Any other error answers
    /// without running the function.
    /// </summary>
    public bool RunsTheFunction => ErrorType is TimeoutErrorType or HoldErrorType;

    public bool AppliesTo(int attempt) => attempt >= FirstAttempt && (LastAttempt is null || attempt <= LastAttempt);

    public override string ToString()
    {
        var attempts = (FirstAttempt, LastAttempt) switch
        {
            (1, null) => "",
            var (first, last) when first == last => $"@{first}",
            (var first, null) => $"@{first}+",
            var (first, last) => $"@{first}-{last}",
        };
        return $"{Function}:{ErrorType}{attempts}";
    }
}
