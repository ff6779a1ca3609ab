namespace Bakery.Hcl.Tests;

/// <summary>Each row is an expression and the value HCL gives it (hclsyntax's spec; cty's printing as in packer console).</summary>
public class ExpressionTests
{
    [Theory]
    [InlineData("1 + 2 * 3", "7")]
    [InlineData("(1 + 2) * 3", "9")]
    [InlineData("10 / 4", "2.5")]
    [InlineData("7 % 3", "1")]
    [InlineData("-7 % 3", "-1")]
    [InlineData("\"5\" + 1", "6")]
    [InlineData("1 < 2 && 2 <= 2", "true")]
    [InlineData("!true || false", "false")]
    [InlineData("1 == 1.0", "true")]
    [InlineData("1 == \"1\"", "false")]
    [InlineData("var.count > 2 ? \"many\" : \"few\"", "\"many\"")]
    [InlineData("\"${var.name}-${var.count}\"", "\"web-3\"")]
    [InlineData("\"${var.count}\"", "3")]
    [InlineData("\"$${literal} %%{also}\"", "\"$${literal} %%{also}\"")]
    [InlineData("\"a\\tb\\u00e9\\\"\"", "\"a\\tbé\\\"\"")]
    [InlineData("var.tags.Team", "\"ops\"")]
    [InlineData("var.tags[\"Env\"]", "\"dev\"")]
    [InlineData("var.zones[1]", "\"b\"")]
    [InlineData("var.zones.0", "\"a\"")]
    [InlineData("var.disks[*].size", "[ 8, 20, ]")]
    [InlineData("var.disks.*.name", "[ \"/dev/sda1\", \"/dev/sdb\", ]")]
    [InlineData("var.name[*]", "[ \"web\", ]")]
    [InlineData("null[*]", "[]")]
    [InlineData("[for z in var.zones : upper(z)]", "[ \"A\", \"B\", ]")]
    [InlineData("[for i, z in var.zones : \"${i}${z}\" if i > 0]", "[ \"1b\", ]")]
    [InlineData("{for k, v in var.tags : lower(k) => v}", "{ \"env\" = \"dev\" \"team\" = \"ops\" }")]
    [InlineData("{for d in var.disks : d.size > 10 ? \"big\" : \"small\" => d.name...}", "{ \"big\" = [ \"/dev/sdb\", ] \"small\" = [ \"/dev/sda1\", ] }")]
    [InlineData("{ a = 1, \"b c\" = 2, (var.name) = 3 }", "{ \"a\" = 1 \"b c\" = 2 \"web\" = 3 }")]
    [InlineData("{ a: 1 }", "{ \"a\" = 1 }")]
    [InlineData("\"%{ if var.count > 1 }many%{ else }one%{ endif }\"", "\"many\"")]
    [InlineData("\"%{ for z in var.zones }[${z}]%{ endfor }\"", "\"[a][b]\"")]
    [InlineData("\"a   ${~ \"b\" ~}   c\"", "\"abc\"")]
    [InlineData("concat(var.zones, [\"c\"])...", "")]
    public void Evaluates(string expression, string expected)
    {
        if (expected.Length == 0)
        {
            // A '...' outside a call is not an expression.
            Assert.Throws<HclException>(() => Hcl.Eval(expression));
            return;
        }

        Assert.Equal(expected, Hcl.Show(expression));
    }

    [Fact]
    public void Heredocs_keep_their_text_and_strip_indentation_with_a_dash()
    {
        Assert.Equal("\"line $${x}\\n  web\\n\"", Hcl.Show("<<EOT\nline $${x}\n  ${var.name}\nEOT\n"));
        Assert.Equal("\"a\\n  b\\nweb\\n\"", Hcl.Show("<<-EOT\n    a\n      b\n    ${var.name}\n    EOT\n"));
        Assert.Equal("\"#!/bin/sh\\necho \\\\n\\n\"", Hcl.Show("<<EOF\n#!/bin/sh\necho \\n\nEOF\n"));
    }

    [Fact]
    public void Unknown_names_are_errors_with_a_place_and_a_suggestion()
    {
        var error = Hcl.Fails("var.nmae");
        Assert.Equal("test.hcl:1:4: var has no attribute \"nmae\"", error.Message);
        Assert.Equal("name", error.Suggestion);

        var function = Hcl.Fails("\n  uper(var.name)");
        Assert.Equal(new HclPosition("test.hcl", 2, 3), function.Position);
        Assert.Equal("upper", function.Suggestion);
    }

    [Theory]
    [InlineData("var.zones[5]", "index 5 is out of range for a list of 2")]
    [InlineData("var.tags[\"Nope\"]", "no key \"Nope\" in the map")]
    [InlineData("1 + \"x\"", "the right side of + is the string \"x\"; a number is required")]
    [InlineData("\"a${var.zones}\"", "the interpolated value is a list; a string is required")]
    [InlineData("true ? 1", "expected ':' in a conditional")]
    [InlineData("[1, 2", "expected ',' or ']' in the list")]
    [InlineData("\"abc", "unterminated string")]
    [InlineData("\"\\q\"", "invalid escape \\q")]
    [InlineData("\"%{ if true }x\"", "%{ if } is never closed")]
    [InlineData("{for k, v in var.zones : \"same\" => k}", "duplicate key")]
    public void Errors_say_what_is_wrong(string expression, string message)
    {
        Assert.Contains(message, Hcl.Fails(expression).Message, StringComparison.Ordinal);
    }
}
