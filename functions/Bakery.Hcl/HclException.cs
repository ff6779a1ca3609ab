namespace Bakery.Hcl;

/// <summary>A syntax or evaluation error at a place in a file; <see cref="Detail"/> is the message without the place.</summary>
public sealed class HclException : Exception
{
    public HclException(HclPosition position, string detail, string? suggestion = null)
        : base($"{position}: {detail}")
    {
        Position = position;
        Detail = detail;
        Suggestion = suggestion;
    }

    public HclException()
    {
    }

    public HclException(string message)
        : base(message)
    {
        Detail = message;
    }

    public HclException(string message, Exception innerException)
        : base(message, innerException)
    {
        Detail = message;
    }

    public HclPosition Position { get; }

    public string Detail { get; } = "";

    /// <summary>A close name when the error is an unknown one ("did you mean").</summary>
    public string? Suggestion { get; }
}
