namespace Bakery.Core.Triggers;

/// <summary>
/// What a trigger is, for de-duplication: <see cref="Identity"/> names the trigger (the same upload, the same schedule
/// firing, the same explicit id) and <see cref="BuildId"/> is derived from it, so a repeated trigger claims the same id.
/// </summary>
/// <param name="Identity">The trigger's identity, e.g. <c>s3://bucket/key?versionId=..&amp;sequencer=..</c>.</param>
/// <param name="BuildId">The build id (ledger key, <c>bakery:build-id</c> tag, staging folder).</param>
/// <param name="Deduplicated">False when the trigger carries nothing stable (a console start without <c>buildId</c>): every start is a new build.</param>
public sealed record BuildIdentity(string Identity, string BuildId, bool Deduplicated);
