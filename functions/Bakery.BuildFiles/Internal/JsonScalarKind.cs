namespace Bakery.BuildFiles.Internal;

internal enum JsonScalarKind
{
    Number,
    Boolean,
    Null,
}
