namespace Bakery.Local.StepFunctions;

/// <summary>How <see cref="StateMachineRunner"/> runs the definition locally.</summary>
public sealed record StateMachineRunnerOptions
{
    /// <summary>The repository root (holds template.yaml, statemachine/ and infra/local/stepfunctions/).</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>Where Task states invoke their function ARNs (the local Lambda service's Invoke API).</summary>
    public required Uri LambdaEndpoint { get; init; }

    /// <summary>
    /// Local ARN of a template function by logical id (e.g. <c>PrepareFunction</c>). Default:
    /// <c>arn:aws:lambda:{Region}:000000000000:function:{logicalId}</c>.
    /// </summary>
    public Func<string, string>? FunctionArn { get; init; }

    public string Region { get; init; } = "us-east-1";

    /// <summary>Relative to <see cref="RepositoryRoot"/>.</summary>
    public string DefinitionPath { get; init; } = "statemachine/bake.asl.json";

    /// <summary>Relative to <see cref="RepositoryRoot"/>.</summary>
    public string TemplatePath { get; init; } = "template.yaml";

    /// <summary>Every Wait state sleeps this long instead of its Seconds/SecondsPath (null: as defined).</summary>
    public TimeSpan? WaitOverride { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Every Retry waits this long instead of its backoff (null: as defined, with jitter).</summary>
    public TimeSpan? RetryOverride { get; init; }

    /// <summary>Keep each state's input/output in the events (they are the typed bake state; off saves memory).</summary>
    public bool IncludePayloads { get; init; } = true;

    /// <summary>Extra environment variables for the runner process (e.g. AWS credentials for the Lambda client).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
