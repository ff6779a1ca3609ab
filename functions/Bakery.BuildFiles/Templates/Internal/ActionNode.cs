namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>
/// A <c>{{ pipeline }}</c> action. <see cref="Start"/>/<see cref="End"/> delimit its original text (delimiters and
/// trim markers included) so a deferred action can be written out verbatim.
/// </summary>
internal sealed class ActionNode(PipelineNode pipeline, int start, int end, bool usesBuildTimeData) : TemplateNode
{
    public PipelineNode Pipeline { get; } = pipeline;

    public int Start { get; } = start;

    public int End { get; } = end;

    /// <summary>Reads dot-data or calls <c>build</c>, so it may be deferred to the step that knows the value.</summary>
    public bool UsesBuildTimeData { get; } = usesBuildTimeData;
}
