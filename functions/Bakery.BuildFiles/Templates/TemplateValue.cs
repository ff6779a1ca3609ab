using System.Globalization;
using System.Text;

namespace Bakery.BuildFiles.Templates;

/// <summary>
/// A value a template reads or produces: string, bool, number, map (string keys) or list. Printed as Go's
/// text/template prints it (<c>true</c>, <c>42</c>, <c>map[a:1 b:2]</c>, <c>[x y]</c>, <c>&lt;no value&gt;</c>).
/// </summary>
public sealed class TemplateValue : IEquatable<TemplateValue>
{
    public static readonly TemplateValue Nil = new(TemplateValueKind.Nil, null, 0, 0);
    public static readonly TemplateValue True = new(TemplateValueKind.Bool, null, 1, 0);
    public static readonly TemplateValue False = new(TemplateValueKind.Bool, null, 0, 0);
    public static readonly TemplateValue EmptyString = new(TemplateValueKind.String, "", 0, 0);

    private readonly object? _reference;
    private readonly long _integer;
    private readonly double _float;

    private TemplateValue(TemplateValueKind kind, object? reference, long integer, double @float)
    {
        Kind = kind;
        _reference = reference;
        _integer = integer;
        _float = @float;
    }

    public TemplateValueKind Kind { get; }

    public bool IsNil => Kind == TemplateValueKind.Nil;

    public static TemplateValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == 0 ? EmptyString : new TemplateValue(TemplateValueKind.String, value, 0, 0);
    }

    public static TemplateValue FromBool(bool value) => value ? True : False;

    public static TemplateValue FromInteger(long value) => new(TemplateValueKind.Integer, null, value, 0);

    public static TemplateValue FromFloat(double value) => new(TemplateValueKind.Float, null, 0, value);

    public static TemplateValue FromMap(IReadOnlyDictionary<string, TemplateValue> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new TemplateValue(TemplateValueKind.Map, value, 0, 0);
    }

    /// <summary>A map of strings, such as <c>.SourceAMITags</c>.</summary>
    public static TemplateValue FromStringMap(IReadOnlyDictionary<string, string> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var map = new Dictionary<string, TemplateValue>(value.Count, StringComparer.Ordinal);
        foreach (var (key, item) in value)
        {
            map[key] = FromString(item);
        }

        return FromMap(map);
    }

    public static TemplateValue FromList(IReadOnlyList<TemplateValue> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new TemplateValue(TemplateValueKind.List, value, 0, 0);
    }

    public static implicit operator TemplateValue(string value) => FromString(value);

    public static TemplateValue ToTemplateValue(string value) => FromString(value);

    /// <summary>The string, when <see cref="Kind"/> is <see cref="TemplateValueKind.String"/>; otherwise null.</summary>
    public string? AsString => Kind == TemplateValueKind.String ? (string)_reference! : null;

    public bool AsBool => Kind == TemplateValueKind.Bool && _integer != 0;

    public long AsInteger => Kind == TemplateValueKind.Integer ? _integer : (long)_float;

    public double AsFloat => Kind == TemplateValueKind.Float ? _float : _integer;

    public IReadOnlyDictionary<string, TemplateValue>? AsMap =>
        Kind == TemplateValueKind.Map ? (IReadOnlyDictionary<string, TemplateValue>)_reference! : null;

    public IReadOnlyList<TemplateValue>? AsList =>
        Kind == TemplateValueKind.List ? (IReadOnlyList<TemplateValue>)_reference! : null;

    /// <summary>Go's truth: false, 0, nil and empty strings, maps and lists are false; everything else is true.</summary>
    public bool IsTruthy => Kind switch
    {
        TemplateValueKind.Nil => false,
        TemplateValueKind.String => ((string)_reference!).Length != 0,
        TemplateValueKind.Bool or TemplateValueKind.Integer => _integer != 0,
        TemplateValueKind.Float => _float != 0,
        TemplateValueKind.Map => ((IReadOnlyDictionary<string, TemplateValue>)_reference!).Count != 0,
        TemplateValueKind.List => ((IReadOnlyList<TemplateValue>)_reference!).Count != 0,
        _ => false,
    };

    /// <summary>The text Go's <c>fmt.Print</c> (and so text/template) writes for this value.</summary>
    public override string ToString()
    {
        if (Kind == TemplateValueKind.String)
        {
            return (string)_reference!;
        }

        var builder = new StringBuilder();
        AppendTo(builder);
        return builder.ToString();
    }

    internal void AppendTo(StringBuilder builder)
    {
        switch (Kind)
        {
            case TemplateValueKind.Nil:
                builder.Append("<no value>");
                break;
            case TemplateValueKind.String:
                builder.Append((string)_reference!);
                break;
            case TemplateValueKind.Bool:
                builder.Append(_integer != 0 ? "true" : "false");
                break;
            case TemplateValueKind.Integer:
                builder.Append(_integer.ToString(CultureInfo.InvariantCulture));
                break;
            case TemplateValueKind.Float:
                builder.Append(Internal.GoFormat.FormatFloat(_float));
                break;
            case TemplateValueKind.Map:
                // Go prints maps with sorted keys: map[a:1 b:2].
                var map = (IReadOnlyDictionary<string, TemplateValue>)_reference!;
                var keys = map.Keys.ToArray();
                Array.Sort(keys, StringComparer.Ordinal);
                builder.Append("map[");
                for (var i = 0; i < keys.Length; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(' ');
                    }

                    builder.Append(keys[i]).Append(':');
                    map[keys[i]].AppendTo(builder);
                }

                builder.Append(']');
                break;
            case TemplateValueKind.List:
                var list = (IReadOnlyList<TemplateValue>)_reference!;
                builder.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(' ');
                    }

                    list[i].AppendTo(builder);
                }

                builder.Append(']');
                break;
        }
    }

    public bool Equals(TemplateValue? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return (Kind, other.Kind) switch
        {
            (TemplateValueKind.String, TemplateValueKind.String) => string.Equals(AsString, other.AsString, StringComparison.Ordinal),
            (TemplateValueKind.Bool, TemplateValueKind.Bool) => _integer == other._integer,
            (TemplateValueKind.Integer, TemplateValueKind.Integer) => _integer == other._integer,
            (TemplateValueKind.Integer or TemplateValueKind.Float, TemplateValueKind.Integer or TemplateValueKind.Float) => AsFloat.Equals(other.AsFloat),
            (TemplateValueKind.Nil, TemplateValueKind.Nil) => true,
            _ => ReferenceEquals(_reference, other._reference) && _reference is not null,
        };
    }

    public override bool Equals(object? obj) => obj is TemplateValue other && Equals(other);

    public override int GetHashCode() => Kind switch
    {
        TemplateValueKind.String => StringComparer.Ordinal.GetHashCode((string)_reference!),
        TemplateValueKind.Bool => _integer.GetHashCode(),
        // Integers and floats compare by numeric value, so they must hash alike.
        TemplateValueKind.Integer => ((double)_integer).GetHashCode(),
        TemplateValueKind.Float => _float.GetHashCode(),
        TemplateValueKind.Nil => 0,
        _ => _reference!.GetHashCode(),
    };
}
