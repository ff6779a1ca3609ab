namespace Bakery.Local.Lambda.Internal;

/// <summary>One function's log file for this run: every environment's stdout and stderr, plus START/END/timeout lines.</summary>
internal sealed class FunctionLog : IDisposable
{
    private readonly StreamWriter writer;
    private readonly Lock writing = new();

    public FunctionLog(string path)
    {
        Path = path;
        writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public string Path { get; }

    public void Write(string line)
    {
        lock (writing)
        {
            writer.WriteLine(line);
        }
    }

    public void Dispose()
    {
        lock (writing)
        {
            writer.Dispose();
        }
    }
}
