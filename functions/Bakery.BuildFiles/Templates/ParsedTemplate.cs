using System.Text;
using Bakery.BuildFiles.Templates.Internal;

namespace Bakery.BuildFiles.Templates;

/// <summary>A template string parsed once; <see cref="Render"/> evaluates it against a <see cref="TemplateContext"/>.</summary>
public sealed class ParsedTemplate
{
    private const int MaxCachedBuilderCapacity = 4096;

    // One builder per thread, reused: a build file renders thousands of strings, and a new builder per string was a
    // large share of what loading a big file allocated (docs/benchmarks.md).
    [ThreadStatic]
    private static StringBuilder? t_builder;

    private readonly TemplateNode[] _nodes;

    internal ParsedTemplate(
        string source,
        TemplateNode[] nodes,
        IReadOnlyList<string> referencedFunctions,
        IReadOnlyList<string> referencedFields,
        bool usesBuildTimeData)
    {
        Source = source;
        _nodes = nodes;
        ReferencedFunctions = referencedFunctions;
        ReferencedFields = referencedFields;
        UsesBuildTimeData = usesBuildTimeData;
        HasActions = nodes.Length != 1 || nodes[0] is not TextNode text || !ReferenceEquals(text.Text, source);
    }

    public string Source { get; }

    internal TemplateNode[] Nodes => _nodes;

    /// <summary>False for plain strings: <see cref="Render"/> then returns <see cref="Source"/> without work.</summary>
    public bool HasActions { get; }

    /// <summary>Names of the functions the template calls, each once, in order of first use.</summary>
    public IReadOnlyList<string> ReferencedFunctions { get; }

    /// <summary>Top-level dot-data names the template reads (<c>SourceAMI</c> for <c>{{ .SourceAMI }}</c>), each once.</summary>
    public IReadOnlyList<string> ReferencedFields { get; }

    /// <summary>True when some action reads dot-data or calls <c>build</c>: values that exist only while the build runs.</summary>
    public bool UsesBuildTimeData { get; }

    /// <summary>Evaluates the template.</summary>
    /// <exception cref="TemplateEvaluationException">A function failed: undefined variable, <c>env</c> not allowed, ...</exception>
    public string Render(TemplateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HasActions)
        {
            return Source;
        }

        var evaluator = new TemplateEvaluator(Source, context);
        if (_nodes.Length == 1)
        {
            return RenderNode(_nodes[0], evaluator) ?? Source;
        }

        var builder = t_builder ?? new StringBuilder(Source.Length + 16);
        t_builder = null;
        builder.Clear();
        foreach (var node in _nodes)
        {
            if (node is TextNode text)
            {
                builder.Append(text.Text);
            }
            else
            {
                var action = (ActionNode)node;
                var value = evaluator.EvaluateAction(action);
                if (value is null)
                {
                    builder.Append(Source, action.Start, action.End - action.Start);
                }
                else
                {
                    value.AppendTo(builder);
                }
            }
        }

        var result = builder.ToString();
        if (builder.Capacity <= MaxCachedBuilderCapacity)
        {
            t_builder = builder;
        }

        return result;
    }

    private string? RenderNode(TemplateNode node, TemplateEvaluator evaluator)
    {
        if (node is TextNode text)
        {
            return text.Text;
        }

        var action = (ActionNode)node;
        var value = evaluator.EvaluateAction(action);
        return value is null ? Source.Substring(action.Start, action.End - action.Start) : value.ToString();
    }
}
