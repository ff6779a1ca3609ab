namespace Bakery.Hcl.Syntax;

/// <summary>The variables an expression reads, as (root, first attribute) pairs: <c>local.x</c> gives ("local", "x").</summary>
public static class HclReferences
{
    public static IReadOnlyList<(string Root, string? Attribute, HclPosition Position)> Of(HclExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var found = new List<(string, string?, HclPosition)>();
        Walk(expression, found);
        return found;
    }

    private static void Walk(HclExpression expression, List<(string, string?, HclPosition)> found)
    {
        switch (expression)
        {
            case HclGetAttribute { Target: HclVariable root } get:
                found.Add((root.Name, get.Name, root.Position));
                break;
            case HclIndex { Target: HclVariable root, Key: HclTemplate { Parts: [HclTemplateText text] } } index:
                found.Add((root.Name, text.Text, root.Position));
                Walk(index.Key, found);
                break;
            case HclVariable variable:
                found.Add((variable.Name, null, variable.Position));
                break;
            case HclGetAttribute get:
                Walk(get.Target, found);
                break;
            case HclIndex index:
                Walk(index.Target, found);
                Walk(index.Key, found);
                break;
            case HclSplat splat:
                Walk(splat.Source, found);
                Walk(splat.Each, found);
                break;
            case HclTemplate template:
                WalkParts(template.Parts, found);
                break;
            case HclFunctionCall call:
                call.Arguments.ToList().ForEach(a => Walk(a, found));
                break;
            case HclTuple tuple:
                tuple.Items.ToList().ForEach(a => Walk(a, found));
                break;
            case HclObject obj:
                foreach (var (key, value) in obj.Items)
                {
                    if (key is not HclTemplate)
                    {
                        Walk(key, found);
                    }

                    Walk(value, found);
                }

                break;
            case HclUnary unary:
                Walk(unary.Operand, found);
                break;
            case HclBinary binary:
                Walk(binary.Left, found);
                Walk(binary.Right, found);
                break;
            case HclConditional conditional:
                Walk(conditional.Condition, found);
                Walk(conditional.Then, found);
                Walk(conditional.Else, found);
                break;
            case HclFor loop:
                // The loop's own variables are not references.
                var inner = new List<(string, string?, HclPosition)>();
                Walk(loop.Collection, found);
                foreach (var part in new[] { loop.KeyResult, loop.ValueResult, loop.Condition })
                {
                    if (part is not null)
                    {
                        Walk(part, inner);
                    }
                }

                found.AddRange(inner.Where(r => r.Item1 != loop.ValueName && r.Item1 != loop.KeyName));
                break;
            case HclParentheses parentheses:
                Walk(parentheses.Inner, found);
                break;
        }
    }

    private static void WalkParts(IReadOnlyList<HclTemplatePart> parts, List<(string, string?, HclPosition)> found)
    {
        foreach (var part in parts)
        {
            switch (part)
            {
                case HclTemplateInterpolation interpolation:
                    Walk(interpolation.Expression, found);
                    break;
                case HclTemplateIf conditional:
                    Walk(conditional.Condition, found);
                    WalkParts(conditional.Then, found);
                    WalkParts(conditional.Else, found);
                    break;
                case HclTemplateFor loop:
                    Walk(loop.Collection, found);
                    var inner = new List<(string, string?, HclPosition)>();
                    WalkParts(loop.Body, inner);
                    found.AddRange(inner.Where(r => r.Item1 != loop.ValueName && r.Item1 != loop.KeyName));
                    break;
            }
        }
    }
}
