using System.Globalization;
using System.Text;

namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>
/// The functions of Packer's JSON template engine (packer-plugin-sdk <c>template/interpolate/funcs.go</c>, plus the
/// amazon plugin's <c>clean_resource_name</c>) and the Go text/template built-ins that are cheap to support.
/// </summary>
internal static class TemplateFunctions
{
    private static readonly ParameterType[] OneString = [ParameterType.String];
    private static readonly ParameterType[] TwoStrings = [ParameterType.String, ParameterType.String];

    private static readonly Dictionary<string, TemplateFunction> Functions = Build();

    /// <summary>Names Packer no longer knows, with the name that replaced them.</summary>
    public static IReadOnlyDictionary<string, string> Renamed { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["clean_ami_name"] = "clean_resource_name",
        ["clean_image_name"] = "clean_resource_name",
    };

    public static IEnumerable<string> Names => Functions.Keys;

    private static readonly Dictionary<string, TemplateFunction>.AlternateLookup<ReadOnlySpan<char>> FunctionsBySpan =
        Functions.GetAlternateLookup<ReadOnlySpan<char>>();

    public static TemplateFunction? Find(string name) => Functions.GetValueOrDefault(name);

    /// <summary>Like <see cref="Find(string)"/>, without cutting the name out of the template first.</summary>
    public static TemplateFunction? Find(ReadOnlySpan<char> name) => FunctionsBySpan.TryGetValue(name, out var function) ? function : null;

    private static Dictionary<string, TemplateFunction> Build()
    {
        TemplateFunction[] all =
        [
            // Packer's functions.
            new() { Name = "timestamp", Body = static (_, e, _) => TemplateValue.FromString(e.Context.Timestamp.ToString(CultureInfo.InvariantCulture)) },
            new()
            {
                Name = "isotime", Variadic = ParameterType.String, MaximumArguments = 1, Usage = "isotime [GO_LAYOUT]",
                Body = static (a, e, _) => TemplateValue.FromString(
                    GoTime.Format(e.Context.Now.ToUniversalTime(), a.Length == 0 ? GoTime.Rfc3339 : a[0].AsString!)),
            },
            new()
            {
                Name = "strftime", Parameters = OneString, Usage = "strftime FORMAT",
                Body = static (a, e, _) => TemplateValue.FromString(GoTime.Strftime(e.Context.Now.ToUniversalTime(), a[0].AsString!)),
            },
            new() { Name = "uuid", Body = static (_, e, _) => TemplateValue.FromString(e.Context.NewUuid().ToString("D")) },
            new() { Name = "user", Parameters = OneString, Usage = "user NAME", Body = User },
            new() { Name = "env", Parameters = OneString, Usage = "env NAME", Body = Env },
            new()
            {
                Name = "build_name",
                Body = static (_, e, o) => Required(e, o, e.Context.BuildName, "build_name is not available here: it is only known inside a builder's settings"),
            },
            new()
            {
                Name = "build_type",
                Body = static (_, e, o) => Required(e, o, e.Context.BuildType, "build_type is not available here: it is only known inside a builder's settings"),
            },
            new()
            {
                Name = "template_dir",
                Body = static (_, e, o) => Required(e, o, e.Context.TemplateDir, "template_dir is not available: the build file's folder is unknown"),
            },
            new()
            {
                Name = "pwd",
                Body = static (_, e, _) => TemplateValue.FromString(e.Context.Pwd.Length > 0 ? e.Context.Pwd : Directory.GetCurrentDirectory()),
            },
            new()
            {
                Name = "packer_version",
                Body = static (_, e, o) => Required(e, o, e.Context.PackerVersion, "packer_version is not available"),
            },
            new()
            {
                Name = "clean_resource_name", Parameters = OneString, Usage = "clean_resource_name STRING",
                Body = static (a, _, _) => TemplateValue.FromString(GoStrings.CleanAmiName(a[0].AsString!)),
            },
            new()
            {
                Name = "lower", Parameters = OneString, Usage = "lower STRING",
                Body = static (a, _, _) => TemplateValue.FromString(a[0].AsString!.ToLowerInvariant()),
            },
            new()
            {
                Name = "upper", Parameters = OneString, Usage = "upper STRING",
                Body = static (a, _, _) => TemplateValue.FromString(a[0].AsString!.ToUpperInvariant()),
            },
            new()
            {
                Name = "replace", Parameters = [ParameterType.String, ParameterType.String, ParameterType.Integer, ParameterType.String],
                Usage = "replace OLD NEW COUNT STRING (COUNT -1 = all)",
                Body = static (a, _, _) => TemplateValue.FromString(GoStrings.Replace(a[3].AsString!, a[0].AsString!, a[1].AsString!, a[2].AsInteger)),
            },
            new()
            {
                Name = "replace_all", Parameters = [ParameterType.String, ParameterType.String, ParameterType.String],
                Usage = "replace_all OLD NEW STRING",
                Body = static (a, _, _) => TemplateValue.FromString(GoStrings.Replace(a[2].AsString!, a[0].AsString!, a[1].AsString!, -1)),
            },
            new()
            {
                Name = "split", Parameters = [ParameterType.String, ParameterType.String, ParameterType.Integer],
                Usage = "split STRING SEPARATOR INDEX", Body = Split,
            },
            new() { Name = "build", Parameters = OneString, Usage = "build NAME", UsesBuildTimeData = true, Body = BuildValue },
            NotSupported("consul_key", OneString, "consul_key KEY"),
            NotSupported("vault", TwoStrings, "vault PATH KEY"),
            NotSupported("aws_secretsmanager_raw", OneString, "aws_secretsmanager_raw NAME"),
            new()
            {
                Name = "aws_secretsmanager", Variadic = ParameterType.String, MinimumArguments = 1, MaximumArguments = 2,
                Usage = "aws_secretsmanager NAME [KEY]", Body = static (_, e, o) => throw NotSupportedError(e, "aws_secretsmanager", o),
            },
            new()
            {
                Name = "sed", Parameters = TwoStrings, Usage = "sed EXPRESSION STRING",
                Body = static (_, e, o) => throw e.Error("template function `sed` is deprecated: use `replace` or `replace_all` instead (as in Packer)", o),
            },

            // Go text/template built-ins.
            new() { Name = "and", Variadic = ParameterType.Any, MinimumArguments = 1, Body = static (a, _, _) => Array.Find(a, v => !v.IsTruthy) ?? a[^1] },
            new() { Name = "or", Variadic = ParameterType.Any, MinimumArguments = 1, Body = static (a, _, _) => Array.Find(a, v => v.IsTruthy) ?? a[^1] },
            new() { Name = "not", Parameters = [ParameterType.Any], Body = static (a, _, _) => TemplateValue.FromBool(!a[0].IsTruthy) },
            new() { Name = "eq", Variadic = ParameterType.Any, MinimumArguments = 2, Usage = "eq A B [C...]", Body = Equal },
            new() { Name = "ne", Parameters = [ParameterType.Any, ParameterType.Any], Body = static (a, e, o) => TemplateValue.FromBool(Compare(a[0], a[1], e, o, ordered: false) != 0) },
            new() { Name = "lt", Parameters = [ParameterType.Any, ParameterType.Any], Body = static (a, e, o) => TemplateValue.FromBool(Compare(a[0], a[1], e, o, ordered: true) < 0) },
            new() { Name = "le", Parameters = [ParameterType.Any, ParameterType.Any], Body = static (a, e, o) => TemplateValue.FromBool(Compare(a[0], a[1], e, o, ordered: true) <= 0) },
            new() { Name = "gt", Parameters = [ParameterType.Any, ParameterType.Any], Body = static (a, e, o) => TemplateValue.FromBool(Compare(a[0], a[1], e, o, ordered: true) > 0) },
            new() { Name = "ge", Parameters = [ParameterType.Any, ParameterType.Any], Body = static (a, e, o) => TemplateValue.FromBool(Compare(a[0], a[1], e, o, ordered: true) >= 0) },
            new() { Name = "len", Parameters = [ParameterType.Any], Body = Length },
            new() { Name = "index", Parameters = [ParameterType.Any], Variadic = ParameterType.Any, Usage = "index COLLECTION KEY...", Body = Index },
            new() { Name = "print", Variadic = ParameterType.Any, Body = static (a, _, _) => TemplateValue.FromString(GoFormat.Sprint(a)) },
            new() { Name = "println", Variadic = ParameterType.Any, Body = static (a, _, _) => TemplateValue.FromString(GoFormat.Sprintln(a)) },
            new()
            {
                Name = "printf", Parameters = OneString, Variadic = ParameterType.Any, Usage = "printf FORMAT [ARGS...]",
                Body = static (a, _, _) => TemplateValue.FromString(GoFormat.Sprintf(a[0].AsString!, a.AsSpan(1))),
            },
            new()
            {
                Name = "html", Variadic = ParameterType.Any,
                Body = static (a, _, _) => TemplateValue.FromString(HtmlEscape(GoFormat.Sprint(a))),
            },
            new()
            {
                Name = "urlquery", Variadic = ParameterType.Any,
                Body = static (a, _, _) => TemplateValue.FromString(GoStrings.QueryEscape(GoFormat.Sprint(a))),
            },
            NotSupported("js", [], "js VALUE", variadic: true),
            NotSupported("slice", [], "slice ITEM INDICES...", variadic: true),
            NotSupported("call", [], "call FUNCTION ARGS...", variadic: true),
        ];

        var table = new Dictionary<string, TemplateFunction>(all.Length, StringComparer.Ordinal);
        foreach (var function in all)
        {
            table.Add(function.Name, function);
        }

        return table;
    }

    private static TemplateFunction NotSupported(string name, ParameterType[] parameters, string usage, bool variadic = false) => new()
    {
        Name = name,
        Parameters = parameters,
        Variadic = variadic ? ParameterType.Any : null,
        Usage = usage,
        Body = (_, e, o) => throw NotSupportedError(e, name, o),
    };

    private static TemplateEvaluationException NotSupportedError(TemplateEvaluator evaluator, string name, int offset) => name switch
    {
        "consul_key" or "vault" or "aws_secretsmanager" or "aws_secretsmanager_raw" => evaluator.Error(
            $"{name} is not supported by Bakery: Bakery does not read secrets from templates; pass the value with -var or -var-file " +
            "(and list it in sensitive-variables)",
            offset),
        _ => evaluator.Error($"the Go template function {name} is not supported by Bakery", offset),
    };

    private static TemplateValue Required(TemplateEvaluator evaluator, int offset, string value, string message) =>
        value.Length == 0 ? throw evaluator.Error(message, offset) : TemplateValue.FromString(value);

    private static TemplateValue? User(TemplateValue[] arguments, TemplateEvaluator evaluator, int offset)
    {
        var name = arguments[0].AsString!;
        var lookup = evaluator.Context.UserVariable
            ?? throw evaluator.Error(evaluator.Context.InHcl2
                ? $"{{{{user `{name}`}}}} is a JSON template function, which Packer does not run in HCL2 templates: write ${{var.{name}}}"
                : $"user variables are not available here (user `{name}`)", offset);
        var value = lookup(name)
            ?? throw evaluator.Error($"undefined variable \"{name}\": declare it in \"variables\" or pass it with -var", offset);
        return TemplateValue.FromString(value);
    }

    private static TemplateValue? Env(TemplateValue[] arguments, TemplateEvaluator evaluator, int offset)
    {
        var lookup = evaluator.Context.Environment
            ?? throw evaluator.Error(
                $"env is not allowed here: as in Packer, {{{{ env `{arguments[0].AsString}` }}}} may only be used in variable defaults " +
                "(declare a variable with that default and use {{ user `name` }})",
                offset);
        return TemplateValue.FromString(lookup(arguments[0].AsString!) ?? "");
    }

    private static TemplateValue? BuildValue(TemplateValue[] arguments, TemplateEvaluator evaluator, int offset)
    {
        var name = arguments[0].AsString!;
        var value = evaluator.Context.Build?.Invoke(name);
        if (value is not null)
        {
            return TemplateValue.FromString(value);
        }

        return evaluator.Context.DeferBuildTimeData
            ? null
            : throw evaluator.Error($"build `{name}` is not available here: it is known only while the build runs", offset);
    }

    private static TemplateValue Split(TemplateValue[] arguments, TemplateEvaluator evaluator, int offset)
    {
        var separator = arguments[1].AsString!;
        var index = arguments[2].AsInteger;
        var parts = GoStrings.Split(arguments[0].AsString!, separator);
        if (index < 0)
        {
            throw evaluator.Error($"split: index {index} is negative", offset);
        }

        if (parts.Count <= index)
        {
            // Packer's own message.
            throw evaluator.Error(
                $"the substring {index} was unavailable using the separator value, {separator}, only {parts.Count} values were found",
                offset);
        }

        return TemplateValue.FromString(parts[(int)index]);
    }

    private static TemplateValue Equal(TemplateValue[] arguments, TemplateEvaluator evaluator, int offset)
    {
        for (var i = 1; i < arguments.Length; i++)
        {
            if (Compare(arguments[0], arguments[i], evaluator, offset, ordered: false) == 0)
            {
                return TemplateValue.True;
            }
        }

        return TemplateValue.False;
    }

    /// <summary>Go's comparison rules: same basic kind only; ordering only for strings and numbers.</summary>
    private static int Compare(TemplateValue left, TemplateValue right, TemplateEvaluator evaluator, int offset, bool ordered)
    {
        if (left.Kind != right.Kind)
        {
            throw evaluator.Error(
                $"incompatible types for comparison: {TemplateEvaluator.GoTypeName(left)} and {TemplateEvaluator.GoTypeName(right)}",
                offset);
        }

        switch (left.Kind)
        {
            case TemplateValueKind.String:
                return string.CompareOrdinal(left.AsString, right.AsString);
            case TemplateValueKind.Integer:
                return left.AsInteger.CompareTo(right.AsInteger);
            case TemplateValueKind.Float:
                return left.AsFloat.CompareTo(right.AsFloat);
            case TemplateValueKind.Bool when !ordered:
                return left.AsBool == right.AsBool ? 0 : 1;
            default:
                throw evaluator.Error(
                    ordered ? $"invalid type for comparison: {TemplateEvaluator.GoTypeName(left)}" : $"non-comparable type {TemplateEvaluator.GoTypeName(left)}",
                    offset);
        }
    }

    private static TemplateValue Length(TemplateValue[] arguments, TemplateEvaluator evaluator, int offset)
    {
        var value = arguments[0];
        return value.Kind switch
        {
            // Go's len of a string counts UTF-8 bytes.
            TemplateValueKind.String => TemplateValue.FromInteger(GoStrings.ByteLength(value.AsString!)),
            TemplateValueKind.Map => TemplateValue.FromInteger(value.AsMap!.Count),
            TemplateValueKind.List => TemplateValue.FromInteger(value.AsList!.Count),
            _ => throw evaluator.Error($"len of type {TemplateEvaluator.GoTypeName(value)}", offset),
        };
    }

    private static TemplateValue Index(TemplateValue[] arguments, TemplateEvaluator evaluator, int offset)
    {
        var current = arguments[0];
        for (var i = 1; i < arguments.Length; i++)
        {
            var key = arguments[i];
            if (current.AsMap is { } map)
            {
                if (key.Kind != TemplateValueKind.String)
                {
                    throw evaluator.Error($"index: map key must be a string, got {TemplateEvaluator.GoTypeName(key)}", offset);
                }

                current = map.GetValueOrDefault(key.AsString!) ?? TemplateValue.Nil;
            }
            else if (current.AsList is { } list)
            {
                if (key.Kind != TemplateValueKind.Integer)
                {
                    throw evaluator.Error($"index: list index must be an integer, got {TemplateEvaluator.GoTypeName(key)}", offset);
                }

                if (key.AsInteger < 0 || key.AsInteger >= list.Count)
                {
                    throw evaluator.Error($"error calling index: index out of range: {key.AsInteger}", offset);
                }

                current = list[(int)key.AsInteger];
            }
            else
            {
                throw evaluator.Error($"can't index item of type {TemplateEvaluator.GoTypeName(current)}", offset);
            }
        }

        return current;
    }

    /// <summary>Go's <c>template.HTMLEscapeString</c>.</summary>
    private static string HtmlEscape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '\0' => "\uFFFD",
                '"' => "&#34;",
                '\'' => "&#39;",
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => null,
            });
            if (c is not ('\0' or '"' or '\'' or '&' or '<' or '>'))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
