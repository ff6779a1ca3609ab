namespace Bakery.BuildFiles;

/// <summary><c>packer console</c> for HCL2 templates: an expression evaluated in a template's context.</summary>
public static class Hcl2Console
{
    /// <summary>
    /// The value of <paramref name="expression"/> with the template's variables (from <paramref name="input"/>'s var files,
    /// <c>-var</c>s and environment), locals and contextual values, printed as <c>packer console</c> prints it.
    /// Throws <see cref="InvalidOperationException"/> naming the problems when the template or the expression is wrong.
    /// </summary>
    public static string Evaluate(BuildFileInput input, string expression, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new Internal.Hcl2.Hcl2LoadRun(input, now).Console(expression);
    }
}
