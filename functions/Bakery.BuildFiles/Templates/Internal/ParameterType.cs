namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>The Go parameter types Packer's functions declare; Go's text/template checks them strictly.</summary>
internal enum ParameterType
{
    Any,
    String,
    Integer,
}
