using System.Text;
using Bakery.Hcl;
using Bakery.Hcl.Evaluation;
using Bakery.Hcl.Syntax;

namespace Bakery.BuildFiles.Internal.Hcl2;

/// <summary>
/// HCL2 input variables: declared by <c>variable</c> blocks, set (later wins) by the default, <c>PKR_VAR_name</c>, var files
/// (<c>*.auto.pkrvars.hcl</c> first, then <c>-var-file</c>s) and <c>-var</c>s, then converted to the declared type and
/// checked by the <c>validation</c> blocks (Packer's order; docs: templates/hcl_templates/variables).
/// </summary>
internal sealed class Hcl2Variables(Hcl2Problems problems, HclFunctions plainFunctions)
{
    private readonly Dictionary<string, Declaration> _declared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HclValue> _values = new(StringComparer.Ordinal);

    // Names that were given a value, valid or not: a bad value is reported once, not again as "no value".
    private readonly HashSet<string> _given = new(StringComparer.Ordinal);

    private sealed record Declaration(string Name, HclBlock Block, HclTypeConstraint Type, bool Sensitive, string? Default);

    public IReadOnlyCollection<string> Names => _declared.Keys;

    public bool IsSensitive(string name) => _declared.TryGetValue(name, out var d) && d.Sensitive;

    public IEnumerable<OutlineVariable> Outline => _declared.Values.Select(d => new OutlineVariable(d.Name, d.Default, d.Sensitive));

    public void Declare(HclBlock block, HclFunctions defaultFunctions)
    {
        if (block.Labels.Count != 1)
        {
            problems.Error(block.Position, "variable", "a variable block has one label, its name: variable \"region\" { ... }");
            return;
        }

        var name = block.Labels[0];
        var path = $"variable.{name}";
        if (_declared.ContainsKey(name))
        {
            problems.Error(block.Position, path, $"variable \"{name}\" is declared twice; remove one");
            return;
        }

        var type = HclTypeConstraint.Any;
        if (block.Body.Attribute("type") is { } typeAttribute)
        {
            try
            {
                type = HclTypeConstraint.Parse(typeAttribute.Value);
            }
            catch (HclException exception)
            {
                problems.Add(exception, path + ".type");
            }
        }

        var sensitive = false;
        if (block.Body.Attribute("sensitive") is { } sensitiveAttribute && problems.Evaluate(sensitiveAttribute, path, new HclContext { Functions = plainFunctions }) is { } flag)
        {
            sensitive = flag.Kind == HclValueKind.Bool && flag.AsBool;
        }

        foreach (var attribute in block.Body.Attributes.Where(a => a.Name is not ("type" or "default" or "description" or "sensitive" or "nullable")))
        {
            problems.Error(attribute.Position, $"{path}.{attribute.Name}", $"unknown variable argument \"{attribute.Name}\"",
                Suggestions.Closest(attribute.Name, ["type", "default", "description", "sensitive", "validation"]));
        }

        string? defaultText = null;
        if (block.Body.Attribute("default") is { } defaultAttribute)
        {
            // Packer allows env() only here, and no references to other variables.
            if (problems.Evaluate(defaultAttribute, path, new HclContext { Functions = defaultFunctions }) is { } value)
            {
                if (problems.Convert(type, value, defaultAttribute.Position, path + ".default", $"the default of variable \"{name}\"") is { } converted)
                {
                    _values[name] = converted;
                    defaultText = Display(converted);
                }
            }
        }

        _declared[name] = new Declaration(name, block, type, sensitive, defaultText);
    }

    /// <summary>A value given as text (<c>-var</c>, <c>PKR_VAR_</c>): a string variable takes it as is, others parse it as HCL.</summary>
    public void SetFromText(string name, string text, string origin)
    {
        if (!_declared.TryGetValue(name, out var declaration))
        {
            problems.ErrorElsewhere(origin, $"variable \"{name}\" is not declared: add a variable \"{name}\" block", Suggestions.Closest(name, _declared.Keys));
            return;
        }

        HclValue value;
        if (declaration.Type.Kind is "string" or "any")
        {
            value = HclValue.String(text);
        }
        else
        {
            try
            {
                value = HclEvaluator.Evaluate(HclParser.ParseExpression(origin, text), new HclContext { Functions = plainFunctions });
            }
            catch (HclException exception)
            {
                _given.Add(name);
                problems.ErrorElsewhere(origin, DiagnosticCode.VariableValueInvalid, $"variable \"{name}\" is a {declaration.Type}: {exception.Detail}");
                return;
            }
        }

        Set(declaration, value, new HclPosition(origin, 0, 0));
    }

    /// <summary>A var file: <c>.pkrvars.hcl</c> (attributes) or JSON (an object of values).</summary>
    public void ApplyVarFile(VarFile file)
    {
        var text = Encoding.UTF8.GetString(file.Content.Span);
        if (file.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            HclValue values;
            try
            {
                values = HclJson.Decode(text.TrimStart('\uFEFF'));
            }
            catch (HclFunctionException exception)
            {
                problems.ErrorElsewhere(file.Path, exception.Message, null);
                return;
            }

            if (values.Kind != HclValueKind.Object)
            {
                problems.ErrorElsewhere(file.Path, "a JSON var file is an object of variable names to values", null);
                return;
            }

            foreach (var (name, value) in values.Fields)
            {
                if (_declared.TryGetValue(name, out var declaration))
                {
                    Set(declaration, value, new HclPosition(file.Path, 0, 0));
                }
                else
                {
                    problems.ErrorElsewhere(file.Path, $"variable \"{name}\" is not declared: add a variable \"{name}\" block or remove it from the var file",
                        Suggestions.Closest(name, _declared.Keys));
                }
            }

            return;
        }

        HclBody body;
        try
        {
            body = HclParser.ParseFile(file.Path, text);
        }
        catch (HclException exception)
        {
            problems.Add(exception, "");
            return;
        }

        foreach (var block in body.Blocks)
        {
            problems.Error(block.Position, block.Type, "a var file holds only name = value lines, no blocks");
        }

        foreach (var attribute in body.Attributes)
        {
            if (!_declared.TryGetValue(attribute.Name, out var declaration))
            {
                problems.Error(attribute.Position, attribute.Name, $"variable \"{attribute.Name}\" is not declared: add a variable \"{attribute.Name}\" block or remove it from the var file",
                    Suggestions.Closest(attribute.Name, _declared.Keys));
                continue;
            }

            if (problems.Evaluate(attribute, attribute.Name, new HclContext { Functions = plainFunctions }) is { } value)
            {
                Set(declaration, value, attribute.Position);
            }
        }
    }

    private void Set(Declaration declaration, HclValue value, HclPosition position)
    {
        _given.Add(declaration.Name);
        if (problems.Convert(declaration.Type, value, position, $"variable.{declaration.Name}", $"the value of variable \"{declaration.Name}\"") is { } converted)
        {
            _values[declaration.Name] = converted;
        }
    }

    /// <summary>Every variable's final value (required ones without a value are errors), after the validation blocks.</summary>
    public Dictionary<string, HclValue> Resolve()
    {
        foreach (var declaration in _declared.Values)
        {
            if (!_values.ContainsKey(declaration.Name) && !_given.Contains(declaration.Name) && declaration.Block.Body.Attribute("default") is null)
            {
                problems.Error(declaration.Block.Position, $"variable.{declaration.Name}", DiagnosticCode.VariableHasNoValue,
                    $"variable \"{declaration.Name}\" has no value: give it a default, or set it with -var {declaration.Name}=..., a var file or PKR_VAR_{declaration.Name}");
            }
        }

        foreach (var declaration in _declared.Values)
        {
            if (!_values.TryGetValue(declaration.Name, out var value))
            {
                continue;
            }

            foreach (var validation in declaration.Block.Body.Blocks.Where(b => b.Type == "validation"))
            {
                Validate(declaration, value, validation);
            }

            foreach (var other in declaration.Block.Body.Blocks.Where(b => b.Type != "validation"))
            {
                problems.Error(other.Position, $"variable.{declaration.Name}.{other.Type}", $"unknown block \"{other.Type}\" in a variable", "validation");
            }
        }

        return _values;
    }

    private void Validate(Declaration declaration, HclValue value, HclBlock validation)
    {
        var path = $"variable.{declaration.Name}.validation";
        var condition = validation.Body.Attribute("condition");
        var message = validation.Body.Attribute("error_message");
        if (condition is null || message is null)
        {
            problems.Error(validation.Position, path, "a validation block needs condition and error_message");
            return;
        }

        var self = HclValue.Object([new(declaration.Name, value)]);
        var context = new HclContext { Functions = plainFunctions, Variables = new Dictionary<string, HclValue>(StringComparer.Ordinal) { ["var"] = self } };
        if (problems.Evaluate(condition, path, context) is not { } result)
        {
            return;
        }

        if (result.Kind != HclValueKind.Bool)
        {
            problems.Error(condition.Position, path + ".condition", $"the condition is {HclConvert.Describe(result)}; it must be true or false");
            return;
        }

        if (!result.AsBool)
        {
            var text = problems.Evaluate(message, path, new HclContext { Functions = plainFunctions }) is { Kind: HclValueKind.String } m ? m.AsString : "the value is not valid";
            var shown = declaration.Sensitive ? Redactor.Mask : Display(value);
            problems.Error(condition.Position, path, DiagnosticCode.VariableValueInvalid, $"invalid value {shown} for variable \"{declaration.Name}\": {text}");
        }
    }

    /// <summary>How a value shows in messages and in the JSON model's variables: strings bare, others as JSON.</summary>
    public static string Display(HclValue value) => value.Kind switch
    {
        HclValueKind.String => value.AsString,
        HclValueKind.Null => "",
        _ => HclJson.Encode(value),
    };
}
