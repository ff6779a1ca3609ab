namespace Bakery.Core.Bake;

/// <summary>
/// A step's answer to the workflow's loop: <see cref="Done"/>, or wait <see cref="Seconds"/> (the Wait state's
/// <c>SecondsPath</c>) and call the step again. <see cref="Attempt"/> counts checks so backoff can grow.
/// </summary>
public sealed record WaitHint
{
    public bool Done { get; init; }
    public int Seconds { get; init; }
    public int Attempt { get; init; }
    /// <summary>
    /// The check count at which the workflow stops the loop (its backstop, compared with <see cref="Attempt"/>): derived
    /// by the step from its own budget (aws_polling, a provisioner's timeout), so the cap and its error follow the build file.
    /// </summary>
    public int GiveUpAfter { get; init; }
}
