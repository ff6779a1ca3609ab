using Bakery.Hcl.Syntax;
using CsCheck;

namespace Bakery.Hcl.Tests;

/// <summary>
/// Property: for any syntax tree, printing it and parsing the text gives a tree that prints the same; and random edits of
/// real templates either parse or fail with an <see cref="HclException"/>, never another exception.
/// </summary>
public class RoundTripTests
{
    private static readonly HclPosition P = new("gen.hcl", 1, 1);
    private static readonly string[] Names = ["var", "local", "source", "a", "b_c", "x-y", "name", "path"];
    private static readonly string[] Functions = ["format", "join", "merge", "lookup", "upper", "concat"];
    private static readonly string[] Operators = ["||", "&&", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%"];
    private static readonly string[] Texts = ["", "a", "hello world", "quote \" and \\ back", "${not}", "%{ nope }", "tab\tnew\nline", "é🍞", "$", "%", "{x}"];

    [Fact]
    public void Printing_then_parsing_is_stable() =>
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var random = new Random(seed);
            var body = RandomBody(random, 0);
            var printed = HclPrinter.Print(body);
            var reparsed = HclParser.ParseFile("gen.hcl", printed);
            Assert.Equal(printed, HclPrinter.Print(reparsed));
        }, iter: 2000);

    [Fact]
    public void Expressions_print_and_parse_back_to_the_same_text() =>
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var expression = RandomExpression(new Random(seed), 0);
            var printed = HclPrinter.Print(expression);
            Assert.Equal(printed, HclPrinter.Print(HclParser.ParseExpression("gen.hcl", printed)));
        }, iter: 3000);

    private static readonly string[] Seeds =
    [
        BodyTests.Template,
        "locals {\n  tags = merge(var.tags, { Name = \"${var.name}-%{ if var.x }y%{ endif }\" })\n  list = [for s in var.subnets : s.id if s.public]\n  x = var.disks[*].size\n  h = <<-EOT\n    a ${b}\n    EOT\n}\n",
    ];

    private static readonly string[] Tokens = ["{", "}", "[", "]", "(", ")", "\"", "${", "%{", "}", "<<EOT\n", "<<-", "\n", "=", "=>", "...", "?", ":", "for", "if", "in", "~", "#", "/*", "*/", "\\", "\\u", ".*", "[*]", "1e", "é", ",", "endif", "endfor"];

    [Fact]
    public void Random_edits_only_ever_raise_syntax_errors() =>
        Gen.Select(Gen.Int[0, 1], Gen.Int[0, int.MaxValue].Array[1, 18]).Sample(sample =>
        {
            var text = Seeds[sample.Item1];
            var chars = new List<char>(text);
            var choices = sample.Item2;
            for (var i = 0; i + 2 < choices.Length; i += 3)
            {
                var position = choices[i + 1] % (chars.Count + 1);
                switch (choices[i] % 3)
                {
                    case 0 when position < chars.Count:
                        chars.RemoveRange(position, Math.Min(1 + (choices[i + 2] % 6), chars.Count - position));
                        break;
                    case 1:
                        chars.InsertRange(position, Tokens[choices[i + 2] % Tokens.Length]);
                        break;
                    default:
                        chars.RemoveRange(position, chars.Count - position);
                        break;
                }
            }

            try
            {
                var body = HclParser.ParseFile("fuzz.hcl", new string([.. chars]));
                Assert.Equal(HclPrinter.Print(body), HclPrinter.Print(HclParser.ParseFile("fuzz.hcl", HclPrinter.Print(body))));
            }
            catch (HclException exception)
            {
                Assert.StartsWith("fuzz.hcl:", exception.Message, StringComparison.Ordinal);
            }
        }, iter: 4000);

    private static HclBody RandomBody(Random random, int depth)
    {
        var attributes = Enumerable.Range(0, random.Next(0, 4))
            .Select(i => new HclAttribute(Names[random.Next(Names.Length)] + i, RandomExpression(random, 0), P)).ToList();
        var blocks = depth > 2 ? [] : Enumerable.Range(0, random.Next(0, 3))
            .Select(_ => new HclBlock(Names[random.Next(Names.Length)], Enumerable.Range(0, random.Next(0, 3)).Select(_ => Texts[random.Next(Texts.Length)]).ToList(),
                RandomBody(random, depth + 1), P)).ToList();
        return new HclBody(attributes, blocks, P);
    }

    private static HclExpression RandomExpression(Random random, int depth)
    {
        var choice = depth > 3 ? random.Next(0, 4) : random.Next(0, 17);
        HclExpression Next() => RandomExpression(random, depth + 1);
        switch (choice)
        {
            case 0:
                return new HclLiteral(random.Next(3) switch
                {
                    0 => HclValue.Number(random.Next(0, 100000) / (random.Next(2) == 0 ? 1.0 : 8.0)),
                    1 => HclValue.Bool(random.Next(2) == 0),
                    _ => HclValue.Null,
                }, P);
            case 1:
                return new HclTemplate([new HclTemplateText(Texts[random.Next(Texts.Length)])], P);
            case 2:
                return new HclVariable(Names[random.Next(Names.Length)], P);
            case 3:
                return new HclGetAttribute(new HclVariable(Names[random.Next(Names.Length)], P), Names[random.Next(Names.Length)], P);
            case 4:
                return new HclTemplate([new HclTemplateText(Texts[random.Next(Texts.Length)] + "x"), new HclTemplateInterpolation(Next()), new HclTemplateText("y")], P);
            case 5:
                return new HclTemplate([new HclTemplateText("a"), new HclTemplateIf(Next(), [new HclTemplateText("t")], random.Next(2) == 0 ? [] : [new HclTemplateText("e")]),
                    new HclTemplateFor(random.Next(2) == 0 ? null : "k", "v", Next(), [new HclTemplateInterpolation(new HclVariable("v", P))])], P);
            case 6:
                return new HclIndex(Next(), Next(), P);
            case 7:
                return new HclSplat(new HclVariable("list", P), new HclGetAttribute(new HclSplatItem(P), "id", P), random.Next(2) == 0, P);
            case 8:
                {
                    var arguments = Enumerable.Range(0, random.Next(0, 4)).Select(_ => Next()).ToList();
                    return new HclFunctionCall(Functions[random.Next(Functions.Length)], arguments, arguments.Count > 0 && random.Next(4) == 0, P);
                }

            case 9:
                return new HclTuple(Enumerable.Range(0, random.Next(0, 4)).Select(_ => Next()).ToList(), P);
            case 10:
                return new HclObject(Enumerable.Range(0, random.Next(0, 4)).Select(i => new KeyValuePair<HclExpression, HclExpression>(
                    random.Next(2) == 0 ? new HclTemplate([new HclTemplateText(Names[random.Next(Names.Length)] + i)], P) : new HclParentheses(Next(), P), Next())).ToList(), P);
            case 11:
                return new HclUnary(random.Next(2) == 0 ? "-" : "!", Next(), P);
            case 12:
            case 13:
                return new HclBinary(Operators[random.Next(Operators.Length)], Next(), Next(), P);
            case 14:
                return new HclConditional(Next(), Next(), Next(), P);
            case 15:
                {
                    var objectForm = random.Next(2) == 0;
                    return new HclFor(random.Next(2) == 0 ? null : "k", "v", Next(), objectForm ? Next() : null, Next(), random.Next(2) == 0 ? Next() : null,
                        objectForm && random.Next(2) == 0, P);
                }

            default:
                return new HclParentheses(Next(), P);
        }
    }
}
