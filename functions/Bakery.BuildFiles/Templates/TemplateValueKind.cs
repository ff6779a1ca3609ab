namespace Bakery.BuildFiles.Templates;

/// <summary>The shapes a template value can take (the subset of Go values Packer's templates see).</summary>
public enum TemplateValueKind
{
    Nil,
    String,
    Bool,
    Integer,
    Float,
    Map,
    List,
}
