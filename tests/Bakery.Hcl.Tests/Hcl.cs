using Bakery.Hcl.Evaluation;
using Bakery.Hcl.Syntax;

namespace Bakery.Hcl.Tests;

/// <summary>Shortcuts: evaluate an expression with a fixed clock and a few variables.</summary>
internal static class Hcl
{
    public static readonly DateTimeOffset Now = new(2026, 12, 4, 5, 6, 7, TimeSpan.Zero);

    public static HclFunctions Functions(Func<string, string?>? readFile = null, string templateDirectory = "", string workingDirectory = "") =>
        new(new HclFunctionOptions { Now = Now, ReadFile = readFile, TemplateDirectory = templateDirectory, WorkingDirectory = workingDirectory });

    public static HclValue Eval(string expression, IReadOnlyDictionary<string, HclValue>? variables = null, HclFunctions? functions = null) =>
        HclEvaluator.Evaluate(HclParser.ParseExpression("test.hcl", expression), new HclContext
        {
            Functions = functions ?? Functions(),
            Variables = variables ?? new Dictionary<string, HclValue>
            {
                ["var"] = HclValue.Object([
                    new("name", HclValue.String("web")),
                    new("count", HclValue.Number(3)),
                    new("tags", HclValue.Object([new("Team", HclValue.String("ops")), new("Env", HclValue.String("dev"))])),
                    new("zones", HclValue.List([HclValue.String("a"), HclValue.String("b")])),
                    new("disks", HclValue.List([
                        HclValue.Object([new("name", HclValue.String("/dev/sda1")), new("size", HclValue.Number(8))]),
                        HclValue.Object([new("name", HclValue.String("/dev/sdb")), new("size", HclValue.Number(20))]),
                    ])),
                ]),
            },
        });

    /// <summary>The value as <c>packer console</c> prints it, on one line for short assertions.</summary>
    public static string Show(string expression) => System.Text.RegularExpressions.Regex.Replace(Eval(expression).ToString(), "\\n *", " ");

    public static HclException Fails(string expression) =>
        Assert.Throws<HclException>(() => Eval(expression));
}
