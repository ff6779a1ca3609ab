namespace Bakery.BuildFiles.Internal;

/// <summary>
/// Keys Bakery accepts but does not use (SSH/WinRM settings, static AWS credentials). They are gathered over the whole file
/// so each kind gets one warning, not one per key.
/// </summary>
internal sealed class IgnoredKeys
{
    private readonly List<(SourcePosition Position, string Path, string Key)> _communicator = [];
    private readonly List<(SourcePosition Position, string Path, string Key)> _credentials = [];

    private static readonly string[] CommunicatorPrefixes = ["ssh_", "winrm_", "temporary_key_pair_", "temporary_security_group_source_"];

    private static readonly HashSet<string> CommunicatorKeys = new(StringComparer.Ordinal)
    {
        "communicator", "pause_before_connecting", "pause_before_ssm", "session_manager_port", "ssm_agent_enable",
        "ssh_interface", "temporary_key_pair_name", "temporary_key_pair_type", "temporary_key_pair_bits",
        "temporary_security_group_source_cidr", "temporary_security_group_source_cidrs",
        "temporary_security_group_source_public_ip", "security_group_filter_by_ssh", "start_retry_timeout",
        "elevated_user", "elevated_password", "windows_password_timeout",
    };

    private static readonly HashSet<string> CredentialKeys = new(StringComparer.Ordinal)
    {
        "access_key", "secret_key", "token", "profile", "shared_credentials_file", "assume_role", "mfa_code",
        "skip_metadata_api_check", "skip_credential_validation", "custom_endpoint_ec2", "decode_authorization_messages",
        "insecure_skip_tls_verify", "max_retries_aws", "skip_region_validation",
    };

    public static bool IsCommunicatorKey(string key) =>
        CommunicatorKeys.Contains(key) || CommunicatorPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));

    public static bool IsCredentialKey(string key) => CredentialKeys.Contains(key);

    public void AddCommunicator(SourcePosition position, string path, string key) => _communicator.Add((position, path, key));

    public void AddCredential(SourcePosition position, string path, string key) => _credentials.Add((position, path, key));

    public void Report(DiagnosticBag bag)
    {
        if (_communicator.Count > 0)
        {
            var first = _communicator[0];
            bag.Warning(first.Position, first.Path,
                $"ignored {Describe(_communicator)}: Bakery provisions through SSM Run Command, not SSH or WinRM, so communicator settings have no effect");
        }

        if (_credentials.Count > 0)
        {
            var first = _credentials[0];
            bag.Warning(first.Position, first.Path,
                $"ignored {Describe(_credentials)}: Bakery uses the IAM role it runs with, not credentials from the build file");
        }
    }

    private static string Describe(List<(SourcePosition Position, string Path, string Key)> keys)
    {
        var names = keys.Select(k => k.Key).Distinct(StringComparer.Ordinal).ToList();
        return (names.Count == 1 ? "key " : "keys ") + string.Join(", ", names);
    }
}
