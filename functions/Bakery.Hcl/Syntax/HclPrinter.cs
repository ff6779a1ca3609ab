using System.Globalization;
using System.Text;

namespace Bakery.Hcl.Syntax;

/// <summary>
/// Writes a syntax tree back as HCL source in one canonical layout. Parsing the output gives the same tree (the
/// round-trip property the tests check), so the printer is also how the tests see what the parser understood.
/// </summary>
public static class HclPrinter
{
    public static string Print(HclBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var builder = new StringBuilder();
        WriteBody(builder, body, 0);
        return builder.ToString();
    }

    public static string Print(HclExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var builder = new StringBuilder();
        Write(builder, expression);
        return builder.ToString();
    }

    public static bool IsIdentifier(string name) =>
        name.Length > 0 && HclParser.IsIdentifierStart(name[0]) && name.All(HclParser.IsIdentifierPart)
        && name is not ("true" or "false" or "null" or "for" or "in" or "if");

    /// <summary>A string as an HCL quoted literal (also escaping <c>${</c> and <c>%{</c>).</summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder("\"");
        AppendEscaped(builder, text);
        return builder.Append('"').ToString();
    }

    private static void AppendEscaped(StringBuilder builder, string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '$' or '%' when i + 1 < text.Length && text[i + 1] == '{':
                    builder.Append(c).Append(c);
                    break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }
    }

    private static void WriteBody(StringBuilder builder, HclBody body, int indent)
    {
        foreach (var attribute in body.Attributes)
        {
            builder.Append(' ', indent).Append(attribute.Name).Append(" = ");
            Write(builder, attribute.Value);
            builder.Append('\n');
        }

        foreach (var block in body.Blocks)
        {
            builder.Append(' ', indent).Append(block.Type);
            foreach (var label in block.Labels)
            {
                builder.Append(' ').Append(Quote(label));
            }

            builder.Append(" {\n");
            WriteBody(builder, block.Body, indent + 2);
            builder.Append(' ', indent).Append("}\n");
        }
    }

    private static void Write(StringBuilder builder, HclExpression expression)
    {
        switch (expression)
        {
            case HclLiteral literal:
                builder.Append(literal.Value.ToString());
                break;
            case HclTemplate template:
                builder.Append('"');
                WriteParts(builder, template.Parts);
                builder.Append('"');
                break;
            case HclVariable variable:
                builder.Append(variable.Name);
                break;
            case HclSplatItem:
                break;
            case HclGetAttribute get:
                WriteOperand(builder, get.Target);
                builder.Append('.').Append(get.Name);
                break;
            case HclIndex index:
                WriteOperand(builder, index.Target);
                builder.Append('[');
                Write(builder, index.Key);
                builder.Append(']');
                break;
            case HclSplat splat:
                WriteOperand(builder, splat.Source);
                builder.Append(splat.IsFull ? "[*]" : ".*");
                Write(builder, splat.Each);
                break;
            case HclFunctionCall call:
                builder.Append(call.Name).Append('(');
                for (var i = 0; i < call.Arguments.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    Write(builder, call.Arguments[i]);
                }

                builder.Append(call.ExpandLast ? "...)" : ")");
                break;
            case HclTuple tuple:
                builder.Append('[');
                for (var i = 0; i < tuple.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    Write(builder, tuple.Items[i]);
                }

                builder.Append(']');
                break;
            case HclObject obj:
                builder.Append('{');
                for (var i = 0; i < obj.Items.Count; i++)
                {
                    builder.Append(i > 0 ? ", " : " ");
                    var key = obj.Items[i].Key;
                    if (key is HclTemplate or HclParentheses)
                    {
                        Write(builder, key);
                    }
                    else
                    {
                        builder.Append('(');
                        Write(builder, key);
                        builder.Append(')');
                    }

                    builder.Append(" = ");
                    Write(builder, obj.Items[i].Value);
                }

                builder.Append(obj.Items.Count > 0 ? " }" : "}");
                break;
            case HclUnary unary:
                builder.Append(unary.Operator);
                WriteOperand(builder, unary.Operand);
                break;
            case HclBinary binary:
                WriteOperand(builder, binary.Left);
                builder.Append(' ').Append(binary.Operator).Append(' ');
                WriteOperand(builder, binary.Right);
                break;
            case HclConditional conditional:
                WriteOperand(builder, conditional.Condition);
                builder.Append(" ? ");
                WriteOperand(builder, conditional.Then);
                builder.Append(" : ");
                WriteOperand(builder, conditional.Else);
                break;
            case HclFor loop:
                builder.Append(loop.KeyResult is null ? "[for " : "{for ");
                if (loop.KeyName is not null)
                {
                    builder.Append(loop.KeyName).Append(", ");
                }

                builder.Append(loop.ValueName).Append(" in ");
                // A conditional's ':' would read as the for expression's own: every part goes in parentheses when compound.
                WriteOperand(builder, loop.Collection);
                builder.Append(" : ");
                if (loop.KeyResult is not null)
                {
                    WriteOperand(builder, loop.KeyResult);
                    builder.Append(" => ");
                }

                WriteOperand(builder, loop.ValueResult);
                if (loop.Group)
                {
                    builder.Append("...");
                }

                if (loop.Condition is not null)
                {
                    builder.Append(" if ");
                    WriteOperand(builder, loop.Condition);
                }

                builder.Append(loop.KeyResult is null ? ']' : '}');
                break;
            case HclParentheses parentheses:
                builder.Append('(');
                Write(builder, parentheses.Inner);
                builder.Append(')');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(expression), expression.GetType().Name);
        }
    }

    /// <summary>Operands of operators are parenthesized unless they bind tighter than any operator, so precedence never matters.</summary>
    private static void WriteOperand(StringBuilder builder, HclExpression operand)
    {
        if (operand is HclBinary or HclConditional or HclUnary or HclFor)
        {
            builder.Append('(');
            Write(builder, operand);
            builder.Append(')');
        }
        else
        {
            Write(builder, operand);
        }
    }

    private static void WriteParts(StringBuilder builder, IReadOnlyList<HclTemplatePart> parts)
    {
        foreach (var part in parts)
        {
            switch (part)
            {
                case HclTemplateText text:
                    AppendEscaped(builder, text.Text);
                    break;
                case HclTemplateInterpolation interpolation:
                    builder.Append(interpolation.StripBefore ? "${~" : "${");
                    Write(builder, interpolation.Expression);
                    builder.Append(interpolation.StripAfter ? "~}" : "}");
                    break;
                case HclTemplateIf conditional:
                    builder.Append("%{ if ");
                    Write(builder, conditional.Condition);
                    builder.Append(" }");
                    WriteParts(builder, conditional.Then);
                    if (conditional.Else.Count > 0)
                    {
                        builder.Append("%{ else }");
                        WriteParts(builder, conditional.Else);
                    }

                    builder.Append("%{ endif }");
                    break;
                case HclTemplateFor loop:
                    builder.Append("%{ for ");
                    if (loop.KeyName is not null)
                    {
                        builder.Append(loop.KeyName).Append(", ");
                    }

                    builder.Append(loop.ValueName).Append(" in ");
                    Write(builder, loop.Collection);
                    builder.Append(" }");
                    WriteParts(builder, loop.Body);
                    builder.Append("%{ endfor }");
                    break;
            }
        }
    }
}
