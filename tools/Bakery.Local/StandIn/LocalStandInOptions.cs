namespace Bakery.Local.StandIn;

/// <summary>How to start the local stand-in for a Bakery stack: moto (or a given endpoint), the local Lambda service, the Step Functions runner.</summary>
public sealed record LocalStandInOptions
{
    /// <summary>The repository root (template.yaml, statemachine/, infra/local/).</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>An AWS stand-in that is already running (e.g. the user's <c>AWS_ENDPOINT_URL</c>); null starts moto.</summary>
    public Uri? AwsEndpoint { get; init; }

    /// <summary>Stop moto when this process exits (a temporary stand-in); null leaves it running (<c>bakery local up</c>).</summary>
    public int? MotoOwnerProcessId { get; init; }

    /// <summary>One line per setup stage (publish bootstrap, npm ci, moto) and per part started.</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>Where the function logs go; default .bakery/logs/lambda-&lt;time&gt; under the current folder.</summary>
    public string? LogDirectory { get; init; }

    public string Region { get; init; } = "us-east-1";

    /// <summary>Names the stand-in's bucket, ledger table and builder instance profile are given.</summary>
    public string ResourcePrefix { get; init; } = "bakery-local";

    /// <summary>Loopback port for the local Lambda service (0 picks one).</summary>
    public int LambdaPort { get; init; }

    /// <summary>
    /// How long a Wait state sleeps unless told otherwise: moto answers at once, so a wait is rare there, but a local
    /// instance runs its scripts for real and Provision polls it after every wait. At 10 ms the seed's 12 s of apt took
    /// 208 Provision invocations and about 4 CPU-seconds more of the CLI, Node and moto than at 200 ms (32), for no
    /// gain in wall time (docs/benchmarks.md, section 10g).
    /// </summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMilliseconds(200);

    /// <summary>How long every Wait state of the definition sleeps (null: as the definition says, seconds each).</summary>
    public TimeSpan? WaitOverride { get; init; } = DefaultWait;

    /// <summary>
    /// Run instances for real (root filesystems, scripts run by the stand-in's SSM agent) where the machine can. False
    /// keeps moto's behaviour (commands answer Success without running): for runs that measure the workflow, not scripts.
    /// </summary>
    public bool RunInstances { get; init; } = true;

    /// <summary>Where the local instances' notes and script output lines go; null: notes to <see cref="Progress"/>, lines nowhere.</summary>
    public Bakery.Local.Instances.LocalInstancesOutput? InstancesOutput { get; init; }

    /// <summary>Loopback port for moto (0 picks one).</summary>
    public int MotoPort { get; init; }
}
