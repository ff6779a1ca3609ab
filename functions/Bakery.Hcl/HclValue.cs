using System.Globalization;
using System.Text;

namespace Bakery.Hcl;

/// <summary>An immutable HCL value. Objects keep their keys in ordinal order, as cty does when it iterates or prints one.</summary>
public sealed class HclValue : IEquatable<HclValue>
{
    public static readonly HclValue Null = new(HclValueKind.Null);
    public static readonly HclValue True = new(HclValueKind.Bool) { _number = 1 };
    public static readonly HclValue False = new(HclValueKind.Bool);
    public static readonly HclValue EmptyString = new(HclValueKind.String) { _ref = "" };
    public static readonly HclValue EmptyList = new(HclValueKind.List) { _ref = Array.Empty<HclValue>() };
    public static readonly HclValue EmptyObject = new(HclValueKind.Object) { _ref = new SortedDictionary<string, HclValue>(StringComparer.Ordinal) };

    // One field for the string, the items or the fields, and a bool kept as a number (1 or 0): a template's values are
    // most of what its load keeps alive, and three references and a bool per value made each 56 bytes instead of 40
    // (docs/benchmarks.md 1b).
    private double _number;
    private object? _ref;

    private bool BoolValue => _number != 0;

    private string? StringValue => (string?)_ref;

    private IReadOnlyList<HclValue>? ItemsValue => (IReadOnlyList<HclValue>?)_ref;

    private SortedDictionary<string, HclValue>? FieldsValue => (SortedDictionary<string, HclValue>?)_ref;

    private HclValue(HclValueKind kind) => Kind = kind;

    public HclValueKind Kind { get; }

    public bool IsNull => Kind == HclValueKind.Null;

    public static HclValue Bool(bool value) => value ? True : False;

    public static HclValue Number(double value) => new(HclValueKind.Number) { _number = value };

    public static HclValue String(string value) => value.Length == 0 ? EmptyString : new(HclValueKind.String) { _ref = value };

    public static HclValue List(IEnumerable<HclValue> items) => new(HclValueKind.List) { _ref = items.ToArray() };

    /// <summary>
    /// A list that keeps <paramref name="items"/> itself rather than a copy: for the evaluator's tuples and splats, whose
    /// arrays are fresh and never touched again (one array fewer per tuple; docs/benchmarks.md, section 1b).
    /// </summary>
    internal static HclValue ListOwning(HclValue[] items) => new(HclValueKind.List) { _ref = items };

    public static HclValue Object(IEnumerable<KeyValuePair<string, HclValue>> fields)
    {
        var sorted = new SortedDictionary<string, HclValue>(StringComparer.Ordinal);
        foreach (var (key, value) in fields)
        {
            sorted[key] = value;
        }

        return new HclValue(HclValueKind.Object) { _ref = sorted };
    }

    public bool AsBool => Kind == HclValueKind.Bool ? BoolValue : throw WrongKind("bool");

    public double AsNumber => Kind == HclValueKind.Number ? _number : throw WrongKind("number");

    public string AsString => Kind == HclValueKind.String ? StringValue! : throw WrongKind("string");

    public IReadOnlyList<HclValue> Items => Kind == HclValueKind.List ? ItemsValue! : throw WrongKind("list");

    public IReadOnlyDictionary<string, HclValue> Fields => Kind == HclValueKind.Object ? FieldsValue! : throw WrongKind("object");

    /// <summary>For messages: "string", "number", "list", "object", ...</summary>
    public string TypeName => Kind switch
    {
        HclValueKind.Null => "null",
        HclValueKind.Bool => "bool",
        HclValueKind.Number => "number",
        HclValueKind.String => "string",
        HclValueKind.List => "list",
        _ => "object",
    };

    /// <summary>A number as cty prints it: integers without a fraction, others in the shortest form that round-trips.</summary>
    public static string FormatNumber(double number) =>
        number == Math.Floor(number) && Math.Abs(number) < 1e15 ? ((long)number).ToString(CultureInfo.InvariantCulture) : number.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The value as HCL source, laid out as <c>packer console</c> prints a collection (keys quoted, one item a line).</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Write(builder, 0);
        return builder.ToString();
    }

    private void Write(StringBuilder builder, int indent)
    {
        switch (Kind)
        {
            case HclValueKind.Null:
                builder.Append("null");
                break;
            case HclValueKind.Bool:
                builder.Append(BoolValue ? "true" : "false");
                break;
            case HclValueKind.Number:
                builder.Append(FormatNumber(_number));
                break;
            case HclValueKind.String:
                builder.Append(Syntax.HclPrinter.Quote(StringValue!));
                break;
            case HclValueKind.List:
                if (ItemsValue!.Count == 0)
                {
                    builder.Append("[]");
                    break;
                }

                builder.Append("[\n");
                foreach (var item in ItemsValue)
                {
                    builder.Append(' ', indent + 2);
                    item.Write(builder, indent + 2);
                    builder.Append(",\n");
                }

                builder.Append(' ', indent).Append(']');
                break;
            default:
                if (FieldsValue!.Count == 0)
                {
                    builder.Append("{}");
                    break;
                }

                builder.Append("{\n");
                foreach (var (key, value) in FieldsValue)
                {
                    builder.Append(' ', indent + 2).Append(Syntax.HclPrinter.Quote(key)).Append(" = ");
                    value.Write(builder, indent + 2);
                    builder.Append('\n');
                }

                builder.Append(' ', indent).Append('}');
                break;
        }
    }

    public bool Equals(HclValue? other)
    {
        if (other is null || other.Kind != Kind)
        {
            return false;
        }

        return Kind switch
        {
            HclValueKind.Null => true,
            HclValueKind.Bool => BoolValue == other.BoolValue,
            HclValueKind.Number => _number.Equals(other._number),
            HclValueKind.String => string.Equals(StringValue, other.StringValue, StringComparison.Ordinal),
            HclValueKind.List => ItemsValue!.Count == other.ItemsValue!.Count && ItemsValue.Zip(other.ItemsValue).All(p => p.First.Equals(p.Second)),
            _ => FieldsValue!.Count == other.FieldsValue!.Count
                && FieldsValue.All(p => other.FieldsValue.TryGetValue(p.Key, out var v) && p.Value.Equals(v)),
        };
    }

    public override bool Equals(object? obj) => Equals(obj as HclValue);

    public override int GetHashCode() => Kind switch
    {
        HclValueKind.Bool => BoolValue.GetHashCode(),
        HclValueKind.Number => _number.GetHashCode(),
        HclValueKind.String => StringComparer.Ordinal.GetHashCode(StringValue!),
        HclValueKind.List => ItemsValue!.Count,
        HclValueKind.Object => FieldsValue!.Count + 1000,
        _ => 0,
    };

    private InvalidOperationException WrongKind(string wanted) => new($"a {TypeName} is not a {wanted}");
}
