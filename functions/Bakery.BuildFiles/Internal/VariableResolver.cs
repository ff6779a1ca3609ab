using Bakery.BuildFiles.Templates;

namespace Bakery.BuildFiles.Internal;

/// <summary>
/// The <c>variables</c> section: declarations, then values by precedence (default &lt; var files in order &lt; <c>-var</c> in
/// order). Defaults are templates that may use <c>env</c> and other variables; given values are taken literally, as in Packer.
/// </summary>
internal sealed class VariableResolver
{
    private readonly Dictionary<string, Declaration> _declared = new(StringComparer.Ordinal);
    private readonly List<Declaration> _order = [];
    private readonly Dictionary<string, string> _given = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resolving = new(StringComparer.Ordinal);
    private readonly DiagnosticBag _bag;

    public VariableResolver(DiagnosticBag bag) => _bag = bag;

    public IReadOnlyList<OutlineVariable> Outline(IReadOnlySet<string> sensitive) =>
        [.. _order.Select(d => new OutlineVariable(d.Name, d.DefaultText, sensitive.Contains(d.Name)))];

    public bool IsDeclared(string name) => _declared.ContainsKey(name);

    public IEnumerable<string> Names => _order.Select(d => d.Name);

    public void Declare(JsonNode? section)
    {
        if (section is null)
        {
            return;
        }

        if (section is not JsonObjectNode variables)
        {
            _bag.Error(section, $"variables must be an object, not {section.KindName}");
            return;
        }

        foreach (var property in variables.Properties)
        {
            string? text = null;
            switch (property.Value)
            {
                case JsonScalarNode { Kind: JsonScalarKind.Null }:
                    break;
                case JsonStringNode s:
                    text = s.Value;
                    break;
                case JsonScalarNode { Kind: JsonScalarKind.Number } n:
                    text = n.Text;
                    break;
                case JsonScalarNode b:
                    text = b.Text == "true" ? "1" : "0";
                    break;
                default:
                    _bag.Error(property.Value, $"the default of variable \"{property.Name}\" must be a string or null, not {property.Value.KindName}");
                    text = "";
                    break;
            }

            var declaration = new Declaration(property.Name, property.Value, text);
            _declared[property.Name] = declaration;
            _order.Add(declaration);
        }
    }

    /// <summary>Applies one var file (a JSON object of names to strings); problems are reported against that file.</summary>
    public void ApplyVarFile(VarFile file)
    {
        var bag = new DiagnosticBag(file.Path);
        var root = JsonTreeReader.Read(file.Content, bag);
        if (root is not null and not JsonObjectNode)
        {
            bag.Error(root, $"a var file must be a JSON object of variable names to values, not {root.KindName}");
        }

        if (root is JsonObjectNode values)
        {
            foreach (var property in values.Properties)
            {
                if (!_declared.ContainsKey(property.Name))
                {
                    bag.Error(property.NamePosition, property.Value.Path, $"variable \"{property.Name}\" is not declared in the build file's variables",
                        Suggestions.Closest(property.Name, _declared.Keys));
                    continue;
                }

                switch (property.Value)
                {
                    case JsonStringNode s:
                        _given[property.Name] = s.Value;
                        break;
                    case JsonScalarNode { Kind: JsonScalarKind.Number } n:
                        _given[property.Name] = n.Text;
                        break;
                    case JsonScalarNode { Kind: JsonScalarKind.Boolean } b:
                        _given[property.Name] = b.Text == "true" ? "1" : "0";
                        break;
                    default:
                        bag.Error(property.Value, $"the value of variable \"{property.Name}\" must be a string, not {property.Value.KindName}");
                        break;
                }
            }
        }

        foreach (var error in bag.Errors)
        {
            _bag.ErrorElsewhere(error);
        }
    }

    public void ApplyVar(string name, string value)
    {
        if (!_declared.ContainsKey(name))
        {
            _bag.ErrorElsewhere(new Diagnostic("-var", 0, 0, "", $"variable \"{name}\" is not declared in the build file's variables",
                Suggestions.Closest(name, _declared.Keys)));
            return;
        }

        _given[name] = value;
    }

    /// <summary>Computes every variable's value; reports required variables left unset.</summary>
    public IReadOnlyDictionary<string, string> Resolve(BindingScope scope)
    {
        foreach (var declaration in _order)
        {
            Resolve(declaration.Name, scope);
        }

        return _values;
    }

    private string? Resolve(string name, BindingScope scope)
    {
        if (_values.TryGetValue(name, out var known))
        {
            return known;
        }

        if (!_declared.TryGetValue(name, out var declaration))
        {
            return null;
        }

        if (_given.TryGetValue(name, out var given))
        {
            return _values[name] = given;
        }

        if (declaration.DefaultText is null)
        {
            _bag.Error(declaration.Node, $"required variable \"{name}\" is not set (use -var {name}=VALUE or a -var-file)");
            return _values[name] = "";
        }

        if (!_resolving.Add(name))
        {
            _bag.Error(declaration.Node, $"variable \"{name}\" refers to itself through its default");
            return "";
        }

        var context = new TemplateContext
        {
            UserVariable = other => Resolve(other, scope),
            Environment = scope.Template.Environment,
            BuildName = "",
            TemplateDir = scope.Template.TemplateDir,
            Pwd = scope.Template.Pwd,
            Timestamp = scope.Template.Timestamp,
            Now = scope.Template.Now,
            NewUuid = scope.Template.NewUuid,
            DeferBuildTimeData = true,
        };
        var value = declaration.Node is JsonStringNode text ? scope.Render(text, context) ?? "" : declaration.DefaultText;
        _resolving.Remove(name);
        return _values[name] = value;
    }

    private sealed record Declaration(string Name, JsonNode Node, string? DefaultText);
}
