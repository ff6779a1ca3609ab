namespace Bakery.Core.Janitor.Internal;

/// <summary>What a janitor run could not do, one line each: a failed part of the sweep never stops the rest.</summary>
internal sealed class SweepErrors
{
    private readonly List<string> lines = [];

    public IReadOnlyList<string> Lines => lines;

    public void Add(string line) => lines.Add(line);

    public void AddRange(IEnumerable<string> more) => lines.AddRange(more);

    /// <summary>Runs one part of the sweep; a failure becomes a line (prefixed with <paramref name="what"/>) and <paramref name="fallback"/>.</summary>
    public async Task<T> AttemptAsync<T>(string what, Func<CancellationToken, Task<T>> call, T fallback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            lines.Add($"{what}: {error.Message}");
            return fallback;
        }
    }

    /// <summary>As <see cref="AttemptAsync{T}"/> for a call without a result: true when it succeeded.</summary>
    public Task<bool> AttemptAsync(string what, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        return AttemptAsync(
            what,
            async token =>
            {
                await call(token).ConfigureAwait(false);
                return true;
            },
            false,
            cancellationToken);
    }
}
