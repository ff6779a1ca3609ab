namespace Bakery.Core.Steps.Internal;

/// <summary>How many more bytes of scripts one SSM command may carry inline; the rest go by URL.</summary>
internal sealed class InlineAllowance(int bytes)
{
    public int Left { get; private set; } = bytes;

    /// <summary>Takes <paramref name="size"/> bytes when they are left.</summary>
    public bool TryTake(int size)
    {
        if (size > Left)
        {
            return false;
        }

        Left -= size;
        return true;
    }
}
