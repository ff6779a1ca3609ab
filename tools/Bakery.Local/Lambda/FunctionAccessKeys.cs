namespace Bakery.Local.Lambda;

/// <summary>
/// On Lambda each function signs with its own role's credentials; the local Lambda service gives each function its
/// own access key id the same way, so what receives the calls (the stand-in's proxy) can tell which function made
/// each one, as CloudTrail would. moto accepts any key.
/// </summary>
public static class FunctionAccessKeys
{
    private const string Prefix = "LOCALFN";

    /// <summary>The access key id the function with this logical id signs with.</summary>
    public static string For(string logicalId) => Prefix + logicalId;

    /// <summary>The logical id of the function that signed with <paramref name="accessKeyId"/>, or null for another caller.</summary>
    public static string? FunctionOf(string? accessKeyId) =>
        accessKeyId is not null && accessKeyId.Length > Prefix.Length && accessKeyId.StartsWith(Prefix, StringComparison.Ordinal) ? accessKeyId[Prefix.Length..] : null;
}
