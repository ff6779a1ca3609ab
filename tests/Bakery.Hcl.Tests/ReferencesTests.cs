using Bakery.Hcl.Syntax;

namespace Bakery.Hcl.Tests;

/// <summary>What an expression or body reads: roots with their first attribute, loop variables left out.</summary>
public class ReferencesTests
{
    [Theory]
    [InlineData("var.a + local.b", "var.a local.b")]
    [InlineData("var.tags[\"Team\"]", "var.tags")]
    [InlineData("local[\"name\"]", "local.name")]
    [InlineData("var.zones[local.i]", "var.zones local.i")]
    [InlineData("upper(var.name)", "var.name")]
    [InlineData("\"${var.a}-%{ if local.on }${path.root}%{ endif }\"", "var.a local.on path.root")]
    [InlineData("[for z in var.zones : upper(z)]", "var.zones")]
    [InlineData("{for k, v in local.tags : k => \"${v}-${var.suffix}\" if k != source.name}", "local.tags var.suffix source.name")]
    [InlineData("[for a in var.outer : [for b in a.items : \"${a.name}${b}${local.x}\"]]", "var.outer local.x")]
    [InlineData("\"%{ for k, v in local.tags }${k}=${v}${var.sep}%{ endfor }\"", "local.tags var.sep")]
    [InlineData("[for z in var.zones : z] == z", "var.zones z.-")]
    [InlineData("var.disks[*].size", "var.disks")]
    [InlineData("{ (var.key) = local.value, plain = 1 }", "var.key local.value")]
    [InlineData("var.on ? -local.n : !data.x.y", "var.on local.n data.x")]
    public void ExpressionReferences(string expression, string expected)
    {
        var references = HclReferences.Of(HclParser.ParseExpression("test.hcl", expression));

        Assert.Equal(expected, string.Join(' ', references.Select(r => $"{r.Root}.{r.Attribute ?? "-"}")));
    }

    [Fact]
    public void BodyReferencesReachNestedBlocksAtAnyDepth()
    {
        var body = HclParser.ParseFile("test.hcl", """
            provisioner "shell" {
              inline = ["echo ${var.a}"]
              outer {
                value = local.b
                inner {
                  value = source.name
                }
              }
            }
            """).Blocks[0].Body;

        var references = HclReferences.Of(body);

        Assert.Equal(["var.a", "local.b", "source.name"], references.Select(r => $"{r.Root}.{r.Attribute}"));
        Assert.Equal(6, references[2].Position.Line);
    }
}
