namespace Bakery.Hcl.Syntax;

/// <summary>A quoted string or heredoc: literal text, <c>${ }</c> interpolations and <c>%{ }</c> directives.</summary>
public sealed record HclTemplate(IReadOnlyList<HclTemplatePart> Parts, HclPosition Position, bool IsHeredoc = false) : HclExpression(Position);
