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
}
