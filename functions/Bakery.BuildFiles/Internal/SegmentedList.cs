namespace Bakery.BuildFiles.Internal;

/// <summary>
/// An append-only list kept in fixed segments of <see cref="SegmentLength"/> items instead of one array that doubles.
/// A list of tens of thousands of structs outgrows 85,000 bytes, and each doubling then lands on the large object heap,
/// whose budget, once spent, starts a full (gen2) collection: for a 1 MB HCL2 template that was one gen2 collection per
/// load (docs/benchmarks.md, section 1b). Segments stay small enough for the ordinary heap and are never copied.
/// </summary>
internal sealed class SegmentedList<T>
{
    // 1,024 items of up to 64 bytes stay under the 85,000-byte large-object threshold.
    private const int SegmentLength = 1024;

    private readonly List<T[]> _segments = [];

    public int Count { get; private set; }

    public ref readonly T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return ref _segments[index / SegmentLength][index % SegmentLength];
        }
    }

    public void Add(in T item)
    {
        var offset = Count % SegmentLength;
        if (offset == 0)
        {
            _segments.Add(new T[SegmentLength]);
        }

        _segments[^1][offset] = item;
        Count++;
    }
}
