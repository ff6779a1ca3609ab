using System.Globalization;

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

    /// <summary>
    /// Not an error: the invocation is held for <see cref="Delay"/>, then the function runs and answers as usual (text form
    /// <c>Function:Delay=3s</c>). Holds a step at a known point, e.g. for a test that interrupts a build there.
    /// </summary>
    public const string DelayType = "Delay";

    public required string Function { get; init; }

    public required string ErrorType { get; init; }

    public int FirstAttempt { get; init; } = 1;

    public int? LastAttempt { get; init; }

    /// <summary>How long a <see cref="DelayType"/> fault holds the invocation before running the function.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>
    /// A timeout lets the function run to its end and drops its answer, as when a function did its work and then
    /// overran: the caller sees <c>Sandbox.Timedout</c> while the AWS calls have happened. A delay runs it too (late).
    /// Any other error answers without running the function.
    /// </summary>
    public bool RunsTheFunction => ErrorType is TimeoutErrorType or HoldErrorType or DelayType;

    /// <summary>True for a delay: the function's own answer is passed on.</summary>
    public bool IsDelay => ErrorType == DelayType;

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
        var type = IsDelay ? $"{DelayType}={FormatDelay(Delay)}" : ErrorType;
        return $"{Function}:{type}{attempts}";
    }

    private static string FormatDelay(TimeSpan delay) =>
        delay.TotalMilliseconds % 1000 == 0
            ? $"{delay.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s"
            : $"{delay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";
}
