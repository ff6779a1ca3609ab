using Bakery.Hcl;

namespace Bakery.BuildFiles.Internal.Hcl2;

/// <summary>
/// A value not known when the template is loaded (a data source Bakery has not read: <c>bakery validate</c> and
/// <c>inspect</c> without AWS). It is a string naming what it stands for, as <c>packer inspect</c> prints
/// <c>&lt;unknown&gt;</c>; an expression that cannot be evaluated because of one is unknown too, not an error.
/// </summary>
internal static class Hcl2Unknown
{
    // Only characters EC2 allows in an AMI name, so an unknown part of a name does not fail its check.
    public const string Prefix = "[unknown ";

    public static HclValue Of(string what) => HclValue.String($"{Prefix}{what}]");

    public static bool In(HclValue value) => value.Kind switch
    {
        HclValueKind.String => value.AsString.Contains(Prefix, StringComparison.Ordinal),
        HclValueKind.List => value.Items.Any(In),
        HclValueKind.Object => value.Fields.Values.Any(In),
        _ => false,
    };
}
