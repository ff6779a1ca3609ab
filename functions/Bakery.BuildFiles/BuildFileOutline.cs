namespace Bakery.BuildFiles;

/// <summary>The declarations of a build file as written (templates not rendered): what <c>bakery inspect</c> shows.</summary>
public sealed record BuildFileOutline
{
    public string? Description { get; init; }
    public IReadOnlyList<OutlineVariable> Variables { get; init; } = [];
    /// <summary>Builder names (<c>name</c>, else <c>type</c>) with their types.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Builders { get; init; } = [];
    /// <summary>Provisioner types, in order.</summary>
    public IReadOnlyList<string> Provisioners { get; init; } = [];
    /// <summary>Post-processor types, in order.</summary>
    public IReadOnlyList<string> PostProcessors { get; init; } = [];
}
