namespace Bakery.Core.BuildFiles.Internal;

internal enum JsonScalarKind
{
    Number,
    Boolean,
    Null,
}
