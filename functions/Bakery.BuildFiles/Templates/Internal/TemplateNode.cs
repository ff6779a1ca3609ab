namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>One piece of a parsed template: literal text or an action.</summary>
internal abstract class TemplateNode
{
}
