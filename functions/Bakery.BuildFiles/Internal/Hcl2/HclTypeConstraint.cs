using Bakery.Hcl;
using Bakery.Hcl.Evaluation;
using Bakery.Hcl.Syntax;

namespace Bakery.BuildFiles.Internal.Hcl2;

/// <summary>
/// A variable's <c>type</c>: <c>string</c>, <c>number</c>, <c>bool</c>, <c>any</c>, <c>list(T)</c>, <c>set(T)</c>,
/// <c>map(T)</c>, <c>object({...})</c>, <c>tuple([...])</c>; converts a value to it as cty does, or says why not.
/// </summary>
internal sealed record HclTypeConstraint(string Kind, HclTypeConstraint? Element = null, IReadOnlyList<KeyValuePair<string, HclTypeConstraint>>? Members = null)
{
    public static readonly HclTypeConstraint Any = new("any");
    public static readonly HclTypeConstraint String = new("string");

    public bool IsPrimitiveString => Kind == "string";

    public static HclTypeConstraint Parse(HclExpression expression)
    {
        switch (expression)
        {
            case HclVariable { Name: "string" or "number" or "bool" or "any" } primitive:
                return new HclTypeConstraint(primitive.Name);
            case HclFunctionCall { Name: "list" or "set" or "map", Arguments.Count: 1 } collection:
                return new HclTypeConstraint(collection.Name, Parse(collection.Arguments[0]));
            case HclFunctionCall { Name: "object", Arguments: [HclObject members] }:
                return new HclTypeConstraint("object", Members: [.. members.Items.Select(m => new KeyValuePair<string, HclTypeConstraint>(MemberName(m.Key), Parse(m.Value)))]);
            case HclFunctionCall { Name: "tuple", Arguments: [HclTuple items] }:
                return new HclTypeConstraint("tuple", Members: [.. items.Items.Select((e, i) => new KeyValuePair<string, HclTypeConstraint>(i.ToString(System.Globalization.CultureInfo.InvariantCulture), Parse(e)))]);
            case HclFunctionCall { Name: "optional", Arguments.Count: 1 } optional:
                return Parse(optional.Arguments[0]);
            default:
                throw new HclException(expression.Position,
                    $"\"{HclPrinter.Print(expression)}\" is not a type: use string, number, bool, any, list(T), set(T), map(T), object({{...}}) or tuple([...])");
        }
    }

    private static string MemberName(HclExpression key) => key switch
    {
        HclTemplate { Parts: [HclTemplateText text] } => text.Text,
        HclParentheses { Inner: HclVariable variable } => variable.Name,
        _ => throw new HclException(key.Position, "an object type's attribute names are plain names"),
    };

    public override string ToString() => Kind switch
    {
        "list" or "set" or "map" => $"{Kind}({Element})",
        "object" => $"object({{{string.Join(", ", Members!.Select(m => $"{m.Key}={m.Value}"))}}})",
        "tuple" => $"tuple([{string.Join(", ", Members!.Select(m => m.Value))}])",
        _ => Kind,
    };

    /// <summary>The value converted to this type; throws <see cref="HclFunctionException"/> with what does not fit.</summary>
    public HclValue Convert(HclValue value, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.IsNull || Kind == "any")
        {
            return value;
        }

        switch (Kind)
        {
            case "string":
                return HclValue.String(HclConvert.ToStringValue(value, what));
            case "number":
                return HclValue.Number(HclConvert.ToNumber(value, what));
            case "bool":
                return HclValue.Bool(HclConvert.ToBool(value, what));
            case "list":
            case "set":
                {
                    var items = HclConvert.ToList(value, what).Select((v, i) => Element!.Convert(v, $"{what}[{i}]"));
                    return HclValue.List(Kind == "set" ? items.Distinct() : items);
                }

            case "map":
                return HclValue.Object(HclConvert.ToObject(value, what).Select(p => new KeyValuePair<string, HclValue>(p.Key, Element!.Convert(p.Value, $"{what}[\"{p.Key}\"]"))));
            case "tuple":
                {
                    var items = HclConvert.ToList(value, what);
                    if (items.Count != Members!.Count)
                    {
                        throw new HclFunctionException($"{what} has {items.Count} items; {this} needs {Members.Count}");
                    }

                    return HclValue.List(items.Select((v, i) => Members[i].Value.Convert(v, $"{what}[{i}]")));
                }

            default:
                {
                    var fields = HclConvert.ToObject(value, what);
                    var result = new List<KeyValuePair<string, HclValue>>();
                    foreach (var (name, type) in Members!)
                    {
                        if (!fields.TryGetValue(name, out var field))
                        {
                            throw new HclFunctionException($"{what} has no attribute \"{name}\", which {this} requires");
                        }

                        result.Add(new(name, type.Convert(field, $"{what}.{name}")));
                    }

                    return HclValue.Object(result);
                }
        }
    }
}
