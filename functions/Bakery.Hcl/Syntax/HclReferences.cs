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

    /// <summary>
    /// Whether a body (at any depth) reads a variable under <paramref name="root"/> (<c>source</c>: <c>source.name</c>).
    /// Asked once per provisioner, so the walk collects into this thread's spare list instead of a new one each time
    /// (4 % of what a 1 MB template allocates, docs/benchmarks.md 1b).
    /// </summary>
    public static bool Reads(HclBody body, string root)
    {
        ArgumentNullException.ThrowIfNull(body);
        var found = t_spareFound ?? [];
        t_spareFound = null;
        WalkBody(body, found);
        var reads = false;
        foreach (var (name, _, _) in found)
        {
            reads |= name == root;
        }

        found.Clear();
        t_spareFound = found;
        return reads;
    }

    [ThreadStatic]
    private static List<(string, string?, HclPosition)>? t_spareFound;

    /// <summary>
    /// The references of a body that name two attributes, with both: <c>data.amazon-ami.ubuntu.id</c> gives ("data",
    /// "amazon-ami", "ubuntu"), which <see cref="Of(HclBody)"/> cannot tell from another data source of the same type.
    /// </summary>
    public static IReadOnlyList<(string Root, string Attribute, string Name, HclPosition Position)> TwoDeep(HclBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var found = new List<(string, string?, HclPosition)>();
        var deep = new List<(string, string, string, HclPosition)>();
        WalkBody(body, found, deep);
        return deep;
    }

    /// <summary>The references of an expression that name two attributes, with both (as <see cref="TwoDeep(HclBody)"/>).</summary>
    public static IReadOnlyList<(string Root, string Attribute, string Name, HclPosition Position)> TwoDeep(HclExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var found = new List<(string, string?, HclPosition)>();
        var deep = new List<(string, string, string, HclPosition)>();
        Walk(expression, null, found, deep);
        return deep;
    }

    private static void WalkBody(HclBody body, List<(string, string?, HclPosition)> found, List<(string, string, string, HclPosition)>? deep = null)
    {
        foreach (var attribute in body.Attributes)
        {
            Walk(attribute.Value, null, found, deep);
        }

        foreach (var block in body.Blocks)
        {
            WalkBody(block.Body, found, deep);
        }
    }

    /// <summary>
    /// One walk of the tree. <paramref name="bound"/> holds the names the enclosing <c>for</c>s declare: they are the
    /// loop's own variables, not references, so they are left out as they are met.
    /// </summary>
    private static void Walk(HclExpression expression, Bound? bound, List<(string, string?, HclPosition)> found, List<(string, string, string, HclPosition)>? deep = null)
    {
        switch (expression)
        {
            case HclGetAttribute { Target: HclGetAttribute { Target: HclVariable root } inner } outer when deep is not null:
                if (!IsBound(root.Name, bound))
                {
                    deep.Add((root.Name, inner.Name, outer.Name, root.Position));
                }

                Walk(outer.Target, bound, found, deep);
                break;
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
                Walk(get.Target, bound, found, deep);
                break;
            case HclIndex index:
                Walk(index.Target, bound, found, deep);
                Walk(index.Key, bound, found, deep);
                break;
            case HclSplat splat:
                Walk(splat.Source, bound, found, deep);
                Walk(splat.Each, bound, found, deep);
                break;
            case HclTemplate template:
                WalkParts(template.Parts, bound, found, deep);
                break;
            case HclFunctionCall call:
                WalkAll(call.Arguments, bound, found, deep);
                break;
            case HclTuple tuple:
                WalkAll(tuple.Items, bound, found, deep);
                break;
            case HclObject obj:
                foreach (var (key, value) in obj.Items)
                {
                    if (key is not HclTemplate)
                    {
                        Walk(key, bound, found, deep);
                    }

                    Walk(value, bound, found, deep);
                }

                break;
            case HclUnary unary:
                Walk(unary.Operand, bound, found, deep);
                break;
            case HclBinary binary:
                Walk(binary.Left, bound, found, deep);
                Walk(binary.Right, bound, found, deep);
                break;
            case HclConditional conditional:
                Walk(conditional.Condition, bound, found, deep);
                Walk(conditional.Then, bound, found, deep);
                Walk(conditional.Else, bound, found, deep);
                break;
            case HclFor loop:
                {
                    Walk(loop.Collection, bound, found, deep);
                    var inner = new Bound(loop.KeyName, loop.ValueName, bound);
                    if (loop.KeyResult is not null)
                    {
                        Walk(loop.KeyResult, inner, found, deep);
                    }

                    Walk(loop.ValueResult, inner, found, deep);
                    if (loop.Condition is not null)
                    {
                        Walk(loop.Condition, inner, found, deep);
                    }

                    break;
                }

            case HclParentheses parentheses:
                Walk(parentheses.Inner, bound, found, deep);
                break;
        }
    }

    private static void WalkAll(IReadOnlyList<HclExpression> expressions, Bound? bound, List<(string, string?, HclPosition)> found, List<(string, string, string, HclPosition)>? deep)
    {
        for (var i = 0; i < expressions.Count; i++)
        {
            Walk(expressions[i], bound, found, deep);
        }
    }

    private static void WalkParts(IReadOnlyList<HclTemplatePart> parts, Bound? bound, List<(string, string?, HclPosition)> found, List<(string, string, string, HclPosition)>? deep)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            switch (parts[i])
            {
                case HclTemplateInterpolation interpolation:
                    Walk(interpolation.Expression, bound, found, deep);
                    break;
                case HclTemplateIf conditional:
                    Walk(conditional.Condition, bound, found, deep);
                    WalkParts(conditional.Then, bound, found, deep);
                    WalkParts(conditional.Else, bound, found, deep);
                    break;
                case HclTemplateFor loop:
                    Walk(loop.Collection, bound, found, deep);
                    WalkParts(loop.Body, new Bound(loop.KeyName, loop.ValueName, bound), found, deep);
                    break;
            }
        }
    }

    private static void Add(string root, string? attribute, HclPosition position, Bound? bound, List<(string, string?, HclPosition)> found)
    {
        if (!IsBound(root, bound))
        {
            found.Add((root, attribute, position));
        }
    }

    private static bool IsBound(string root, Bound? bound)
    {
        for (var scope = bound; scope is not null; scope = scope.Outer)
        {
            if (root == scope.ValueName || root == scope.KeyName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The names one <c>for</c> declares, inside those of the enclosing ones.</summary>
    private sealed record Bound(string? KeyName, string ValueName, Bound? Outer);
}
