using Bakery.Hcl.Syntax;

namespace Bakery.Hcl.Tests;

/// <summary>Bodies, blocks and attributes as hclsyntax reads them, and the places syntax errors are reported at.</summary>
public class BodyTests
{
    internal const string Template = """
        # a comment
        packer {
          required_plugins {
            amazon = { version = ">= 1.2.0", source = "github.com/hashicorp/amazon" }
          }
        }

        variable "region" {
          type    = string
          default = "us-east-1" // trailing comment
        }

        /* a block
           comment */
        source "amazon-ebs" "ubuntu" {
          ami_name      = "web-${local.stamp}"
          instance_type = "t3.micro"
          tags = {
            Name = "web"
            "Team" = var.team
          }
        }

        build {
          sources = ["source.amazon-ebs.ubuntu"]
          provisioner "shell" { inline = ["echo hi"] }
        }
        """;

    [Fact]
    public void Reads_blocks_labels_and_attributes_in_order()
    {
        var body = HclParser.ParseFile("t.pkr.hcl", Template);
        Assert.Equal(["packer", "variable", "source", "build"], body.Blocks.Select(b => b.Type));
        var source = body.Blocks[2];
        Assert.Equal(["amazon-ebs", "ubuntu"], source.Labels);
        Assert.Equal(new HclPosition("t.pkr.hcl", 15, 1), source.Position);
        Assert.Equal(["ami_name", "instance_type", "tags"], source.Body.Attributes.Select(a => a.Name));
        Assert.Equal(new HclPosition("t.pkr.hcl", 16, 3), source.Body.Attributes[0].Position);
        var build = body.Blocks[3];
        Assert.Equal("shell", Assert.Single(build.Body.Blocks).Labels[0]);
    }

    [Fact]
    public void Crlf_line_endings_and_a_byte_order_mark_are_read_like_lf()
    {
        var crlf = HclParser.ParseFile("t.pkr.hcl", "\uFEFF" + Template.Replace("\n", "\r\n", StringComparison.Ordinal));
        Assert.Equal(HclPrinter.Print(HclParser.ParseFile("t.pkr.hcl", Template)), HclPrinter.Print(crlf));
    }

    [Theory]
    [InlineData("a = 1\na = 2\n", "t.hcl:2:1: attribute \"a\" is set twice in this body; remove one")]
    [InlineData("a =\n", "t.hcl:1:4: attribute \"a\" has no value after '='")]
    [InlineData("a = 1 b = 2\n", "t.hcl:1:7: expected a newline after this item, found \"b\"")]
    [InlineData("block {\n  x = 1\n", "t.hcl:3:1: unclosed block: expected '}'")]
    [InlineData("}\n", "t.hcl:1:1: unexpected '}': there is no block to close")]
    [InlineData("source \"amazon-ebs\" x y = 1\n", "t.hcl:1:25: expected '=' after \"source\" for an attribute, or '{' for a block, found '='")]
    [InlineData("x = \"${var.a\"\n", "t.hcl:1:13: expected '}' to close the ${ interpolation, found '\"'")]
    [InlineData("x = <<EOT\nabc\n", "t.hcl:1:5: heredoc <<EOT is never closed: add a line with just EOT")]
    [InlineData("x = [\n  1,\n  2\n  3\n]\n", "t.hcl:4:3: expected ',' or ']' in the list, found \"3\"")]
    [InlineData("b \"${x}\" {}\n", "t.hcl:1:3: a block label cannot contain interpolations")]
    [InlineData("x = 1 +\n 2\n", "t.hcl:1:8: expected an expression, found newline")]
    [InlineData("/* open", "t.hcl:1:1: unterminated /* comment")]
    public void Syntax_errors_name_the_place_and_the_fix(string text, string message)
    {
        var error = Assert.Throws<HclException>(() => HclParser.ParseFile("t.hcl", text));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Newlines_inside_brackets_do_not_end_an_attribute()
    {
        var body = HclParser.ParseFile("t.hcl", "x = [\n  1,\n  2,\n]\ny = merge(\n  {a = 1},\n  {b = 2}\n)\nz = {\n  a = 1\n  b = 2\n}\n");
        Assert.Equal(["x", "y", "z"], body.Attributes.Select(a => a.Name));
    }
}
