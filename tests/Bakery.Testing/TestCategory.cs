namespace Bakery.Testing;

/// <summary>
/// The trait the suite is filtered by (<c>--filter</c>; docs/testing.md). Unmarked tests start no process and need no
/// server: <c>./tests/run --fast</c> runs only them.
/// </summary>
public static class TestCategory
{
    /// <summary>The trait's name, as <c>--filter</c> spells it.</summary>
    public const string Name = "Category";

    /// <summary>Needs a server or a built artifact: moto, the local Lambda service with the real bootstrap, the state machine runner, the CLI.</summary>
    public const string Integration = "Integration";

    /// <summary>
    /// Starts a local program but no server: the oracles (a real /bin/sh and bash, pwsh, Packer, cfn-lint, the ASL
    /// validator) or the local Lambda service with a scripted bootstrap. Part of <c>Category!=Integration</c>.
    /// </summary>
    public const string Process = "Process";
}
