namespace Bakery.Local.Instances;

/// <summary>Where a local instance's processes are: what the agent answers for it depends on it.</summary>
public enum LocalInstanceState
{
    Pending,
    Running,
    Rebooting,
    Stopped,
    Terminated,
    Failed,
}
