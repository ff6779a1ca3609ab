namespace Bakery.Core.Configuration;

/// <summary>
/// The stack's settings, read once from the environment when a function starts. A missing required variable stops
/// the function at init with a message naming it, rather than failing half-way through a build.
/// </summary>
public sealed record BakeryConfiguration
{
    public const string BucketVariable = "BAKERY_BUCKET";
    public const string LedgerTableVariable = "BAKERY_LEDGER_TABLE";
    public const string InstanceProfileVariable = "BAKERY_INSTANCE_PROFILE";
    public const string SubnetIdVariable = "BAKERY_SUBNET_ID";
    public const string ParameterPrefixVariable = "BAKERY_PARAMETER_PREFIX";
    public const string DataParameterPathVariable = "BAKERY_DATA_PARAMETER_PATH";
    public const string DataSecretPrefixVariable = "BAKERY_DATA_SECRET_PREFIX";
    public const string EventBusVariable = "BAKERY_EVENT_BUS";
    public const string DefaultSettingsVariable = "BAKERY_DEFAULT_SETTINGS";

    /// <summary>Lambda's own variable: the region the function (and so the stack) runs in.</summary>
    public const string RegionVariable = "AWS_REGION";

    /// <summary>The stack's bucket: build files, staged scripts and files, manifests.</summary>
    public required string Bucket { get; init; }

    /// <summary>The DynamoDB table holding one ledger item per build.</summary>
    public required string LedgerTable { get; init; }

    /// <summary>The builder instance profile used when the build file names none (it grants SSM and the staging bucket).</summary>
    public required string InstanceProfile { get; init; }

    /// <summary>The subnet to launch in when the build file names none; null means the default VPC.</summary>
    public string? SubnetId { get; init; }

    /// <summary>
    /// Where builds may publish AMI ids in SSM Parameter Store (template.yaml's <c>ParameterPrefix</c>: the
    /// PublishParameter function may write under it only). Null when unknown (then Prepare does not check).
    /// </summary>
    public string? ParameterPrefix { get; init; }

    /// <summary>
    /// Where HCL2 templates' <c>data "amazon-parameterstore"</c> may read (template.yaml's <c>DataParameterPath</c>: Prepare's
    /// role may read parameters under it only). Null when unknown (then Prepare does not check, and IAM decides).
    /// </summary>
    public string? DataParameterPath { get; init; }

    /// <summary>The name prefix of the secrets <c>data "amazon-secretsmanager"</c> may read (template.yaml's <c>DataSecretPrefix</c>).</summary>
    public string? DataSecretPrefix { get; init; }

    /// <summary>The EventBridge bus Publish puts build events on (template.yaml's <c>EventBusName</c>); null: the default bus.</summary>
    public string? EventBus { get; init; }

    /// <summary>
    /// The stack's defaults for Bakery's own settings (template.yaml's <c>BakeryDefaults</c>): a JSON object of the sidecar's
    /// schema, under every build's sidecar and console <c>"bakery"</c>; null: none.
    /// </summary>
    public string? DefaultSettings { get; init; }

    /// <summary>
    /// The stack's region: the only region builds may run in (template.yaml pins builder instances, security groups and
    /// commands to it; docs/operations.md#regions). Null when unknown (then Prepare does not check).
    /// </summary>
    public string? Region { get; init; }

    /// <summary>Reads the process environment.</summary>
    public static BakeryConfiguration FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>Reads through <paramref name="getVariable"/> (a seam for tests).</summary>
    public static BakeryConfiguration FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var missing = new List<string>();

        string Required(string name)
        {
            var value = getVariable(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                missing.Add(name);
                return string.Empty;
            }

            return value.Trim();
        }

        string? Optional(string name) => getVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        var configuration = new BakeryConfiguration
        {
            Bucket = Required(BucketVariable),
            LedgerTable = Required(LedgerTableVariable),
            InstanceProfile = Required(InstanceProfileVariable),
            SubnetId = getVariable(SubnetIdVariable) is { Length: > 0 } subnet && !string.IsNullOrWhiteSpace(subnet) ? subnet.Trim() : null,
            ParameterPrefix = getVariable(ParameterPrefixVariable) is { Length: > 0 } prefix && !string.IsNullOrWhiteSpace(prefix) ? prefix.Trim() : null,
            DataParameterPath = Optional(DataParameterPathVariable),
            DataSecretPrefix = Optional(DataSecretPrefixVariable),
            EventBus = Optional(EventBusVariable),
            DefaultSettings = Optional(DefaultSettingsVariable),
            Region = getVariable(RegionVariable) is { Length: > 0 } region && !string.IsNullOrWhiteSpace(region) ? region.Trim() : null,
        };

        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Bakery is not configured: environment variable{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} " +
                "must be set (the SAM template sets them on every function).");
        }

        return configuration;
    }
}
