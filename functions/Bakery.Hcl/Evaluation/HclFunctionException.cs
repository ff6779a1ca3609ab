namespace Bakery.Hcl.Evaluation;

/// <summary>A function refused its arguments; the evaluator adds the call's place.</summary>
public sealed class HclFunctionException : Exception
{
    public HclFunctionException()
    {
    }

    public HclFunctionException(string message)
        : base(message)
    {
    }

    public HclFunctionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
