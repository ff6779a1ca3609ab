namespace Bakery.Core.Steps.Internal;

/// <summary>How one script or file reaches the instance: inline in the command (small) or by presigned GET URL (large).</summary>
internal sealed record ScriptPayload(ReadOnlyMemory<byte>? Inline, string? Url)
{
    public static ScriptPayload FromText(string text) => new(System.Text.Encoding.UTF8.GetBytes(text), null);

    public static ScriptPayload FromUrl(string url) => new(null, url);
}
