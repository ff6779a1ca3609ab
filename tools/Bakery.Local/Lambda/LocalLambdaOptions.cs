namespace Bakery.Local.Lambda;

/// <summary>What the local Lambda service runs: the functions of a SAM template, each in the real <c>bootstrap</c>.</summary>
public sealed record LocalLambdaOptions
{
    /// <summary>The SAM template; every <c>AWS::Serverless::Function</c> in it becomes invocable by logical id.</summary>
    public required string TemplatePath { get; init; }

    /// <summary>The executable every function runs (the published AOT <c>bootstrap</c>).</summary>
    public required string BootstrapPath { get; init; }

    /// <summary>Arguments for <see cref="BootstrapPath"/> (e.g. <c>bootstrap.dll</c> when it is <c>dotnet</c>).</summary>
    public IReadOnlyList<string> BootstrapArguments { get; init; } = [];

    /// <summary>The caller's variables, applied over each function's own (e.g. <c>AWS_ENDPOINT_URL</c> for moto).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Local values for the template's references: <c>!Ref X</c> looks up <c>X</c>, <c>!GetAtt X.Arn</c> looks up
    /// <c>X.Arn</c>. Template parameters with a Default, pseudo parameters and the template's own functions need none.
    /// </summary>
    public IReadOnlyDictionary<string, string> ParameterValues { get; init; } = new Dictionary<string, string>();

    /// <summary>Where each function's log file goes; default <c>.bakery/logs/lambda-&lt;time&gt;</c> under the current folder.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>Execution environments (bootstrap processes) per function at most; further invokes wait for one.</summary>
    public int MaxEnvironmentsPerFunction { get; init; } = 4;

    /// <summary>How long a new environment may take to ask for its first event.</summary>
    public TimeSpan InitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The region and account used for ARNs and <c>AWS_REGION</c>.</summary>
    public string Region { get; init; } = "us-east-1";

    public string AccountId { get; init; } = "123456789012";

    /// <summary>Loopback port of the Invoke API; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Faults to inject (see <see cref="LocalFaultPlan"/>); <see cref="LocalLambdaService.SetFaults"/> replaces them
    /// while running. The CLI's stand-in fills this from <c>BAKERY_LOCAL_FAULTS</c>.
    /// </summary>
    public LocalFaultPlan Faults { get; init; } = LocalFaultPlan.None;

    /// <summary>Receives the service's own messages (where the logs are, environments started); null for silence.</summary>
    public Action<string>? Output { get; init; }
}
