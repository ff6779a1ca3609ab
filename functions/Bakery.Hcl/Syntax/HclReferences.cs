namespace Bakery.Hcl.Syntax;

/// <summary>The variables an expression reads, as (root, first attribute) pairs: <c>local.x</c> gives ("local", "x").</summary>
public static class HclReferences
{
    public static IReadOnlyList<(string Root, string? Attribute, HclPosition Position)> Of(HclExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var found = new List<(string, string?, HclPosition)>();
        Walk(expression, null, found);
        return found;
    }

    /// <summary>Every reference in a body: its attributes and those of its nested blocks, at any depth, in the order written.</summary>
    public static IReadOnlyList<(string Root, string? Attribute, HclPosition Position)> Of(HclBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var found = new List<(string, string?, HclPosition)>();
        WalkBody(body, found);
        return found;
    }

    private static void WalkBody(HclBody body, List<(string, string?, HclPosition)> found)
    {
        foreach (var attribute in body.Attributes)
        {
            Walk(attribute.Value, null, found);
        }

        foreach (var block in body.Blocks)
        {
            WalkBody(block.Body, found);
        }
    }

    /// <summary>
    /// One walk of the tree. <paramref name="bound"/> holds the names the enclosing <c>for</c>s declare: they are the
    /// loop's own variables, not references, so they are left out as they are met.
    /// </summary>
    private static void Walk(HclExpression expression, Bound? bound, List<(string, string?, HclPosition)> found)
    {
        switch (expression)
        {
            case HclGetAttribute { Target: HclVariable root } get:
                Add(root.Name, get.Name, root.Position, bound, found);
                break;
            case HclIndex { Target: HclVariable root, Key: HclTemplate { Parts: [HclTemplateText text] } }:
                // The key is literal text: nothing in it to walk.
                Add(root.Name, text.Text, root.Position, bound, found);
                break;
            case HclVariable variable:
                Add(variable.Name, null, variable.Position, bound, found);
                break;
            case HclGetAttribute get:
                Walk(get.Target, bound, found);
                break;
            case HclIndex index:
                Walk(index.Target, bound, found);
                Walk(index.Key, bound, found);
                break;
            case HclSplat splat:
                Walk(splat.Source, bound, found);
                Walk(splat.Each, bound, found);
                break;
            case HclTemplate template:
                WalkParts(template.Parts, bound, found);
                break;
            case HclFunctionCall call:
                WalkAll(call.Arguments, bound, found);
                break;
            case HclTuple tuple:
                WalkAll(tuple.Items, bound, found);
                break;
            case HclObject obj:
                foreach (var (key, value) in obj.Items)
                {
                    if (key is not HclTemplate)
                    {
                        Walk(key, bound, found);
                    }

                    Walk(value, bound, found);
                }

                break;
            case HclUnary unary:
                Walk(unary.Operand, bound, found);
                break;
            case HclBinary binary:
                Walk(binary.Left, bound, found);
                Walk(binary.Right, bound, found);
                break;
            case HclConditional conditional:
                Walk(conditional.Condition, bound, found);
                Walk(conditional.Then, bound, found);
                Walk(conditional.Else, bound, found);
                break;
            case HclFor loop:
                {
                    Walk(loop.Collection, bound, found);
                    var inner = new Bound(loop.KeyName, loop.ValueName, bound);
                    if (loop.KeyResult is not null)
                    {
                        Walk(loop.KeyResult, inner, found);
                    }

                    Walk(loop.ValueResult, inner, found);
                    if (loop.Condition is not null)
                    {
                        Walk(loop.Condition, inner, found);
                    }

                    break;
                }

            case HclParentheses parentheses:
                Walk(parentheses.Inner, bound, found);
                break;
        }
    }

    private static void WalkAll(IReadOnlyList<HclExpression> expressions, Bound? bound, List<(string, string?, HclPosition)> found)
    {
        for (var i = 0; i < expressions.Count; i++)
        {
            Walk(expressions[i], bound, found);
        }
    }

    private static void WalkParts(IReadOnlyList<HclTemplatePart> parts, Bound? bound, List<(string, string?, HclPosition)> found)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            switch (parts[i])
            {
                case HclTemplateInterpolation interpolation:
                    Walk(interpolation.Expression, bound, found);
                    break;
                case HclTemplateIf conditional:
                    Walk(conditional.Condition, bound, found);
                    WalkParts(conditional.Then, bound, found);
                    WalkParts(conditional.Else, bound, found);
                    break;
                case HclTemplateFor loop:
                    Walk(loop.Collection, bound, found);
                    WalkParts(loop.Body, new Bound(loop.KeyName, loop.ValueName, bound), found);
                    break;
            }
        }
    }

    private static void Add(string root, string? attribute, HclPosition position, Bound? bound, List<(string, string?, HclPosition)> found)
    {
        for (var scope = bound; scope is not null; scope = scope.Outer)
        {
            if (root == scope.ValueName || root == scope.KeyName)
            {
                return;
            }
        }

        found.Add((root, attribute, position));
    }

    /// <summary>The names one <c>for</c> declares, inside those of the enclosing ones.</summary>
    private sealed record Bound(string? KeyName, string ValueName, Bound? Outer);
}
