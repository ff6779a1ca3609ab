using Bakery.Conformance.Tests.Oracle;

namespace Bakery.Conformance.Tests.Hcl2;

/// <summary>The answers of one <c>packer console</c> session beside Bakery's values for the same HCL2 expressions.</summary>
public static class ConsoleComparison
{
    /// <summary>
    /// Each expression Packer could not evaluate, or Bakery renders differently or refuses, with both answers; empty
    /// when every one matches.
    /// </summary>
    public static List<string> Differences(IReadOnlyList<string> expressions, IReadOnlyList<string> packerAnswers, Func<string, string> bakery)
    {
        var differences = new List<string>();
        foreach (var (expression, packer) in expressions.Zip(packerAnswers))
        {
            string value;
            try
            {
                value = bakery(expression);
            }
            catch (InvalidOperationException e)
            {
                value = $"<bakery refuses it: {e.Message}>";
            }

            if (PackerConsoleSession.IsError(packer) || packer != value)
            {
                differences.Add($"{expression}\n  packer: [{packer}]\n  bakery: [{value}]");
            }
        }

        return differences;
    }
}
