namespace Bakery.Core.Bake;

/// <summary>The phases of <see cref="ImageTestInfo.Phase"/>, in order.</summary>
public static class ImageTestPhases
{
    /// <summary>Launched: waiting until the instance is running and SSM reaches it.</summary>
    public const string Waiting = "waiting";
    /// <summary>Running the test commands.</summary>
    public const string Running = "running";
    /// <summary>The verdict is in and the test instance has been asked to terminate (Teardown confirms it is gone).</summary>
    public const string Finished = "finished";
}
