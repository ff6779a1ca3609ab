using Bakery.BuildFiles.Templates;
using Bakery.Hcl;

namespace Bakery.BuildFiles.Internal;

/// <summary>
/// The <c>variables</c> section: declarations, then values by precedence (default &lt; var files in order &lt; <c>-var</c> in
/// order). As in Packer, every value — a default or one given with <c>-var</c>/<c>-var-file</c> — is a template that may use
/// <c>env</c> and other variables, names nobody declared may still be given (and are then available to <c>{{user}}</c>),
/// and <c>null</c> in a var file sets the variable to "".
/// </summary>
internal sealed class VariableResolver
{
    private const string CommandLine = "-var";

    private readonly Dictionary<string, Declaration> _declared = new(StringComparer.Ordinal);
    private readonly List<Declaration> _order = [];
    private readonly Dictionary<string, Given> _given = new(StringComparer.Ordinal);
    private readonly List<string> _givenOrder = [];
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resolving = new(StringComparer.Ordinal);
    private readonly List<DiagnosticBag> _varFileBags = [];
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

    /// <summary>
    /// Applies one var file: a JSON object of names to strings or null, as Packer reads it (a number or a list is an error
    /// there too). Problems are reported against that file, together, after the build file's command-line problems.
    /// </summary>
    public void ApplyVarFile(VarFile file)
    {
        var bag = new DiagnosticBag(file.Path);
        _varFileBags.Add(bag);
        var root = JsonTreeReader.Read(file.Content, bag);
        if (root is not null and not JsonObjectNode)
        {
            bag.Error(root, $"a var file must be a JSON object of variable names to values, not {root.KindName}");
        }

        if (root is not JsonObjectNode values)
        {
            return;
        }

        foreach (var property in values.Properties)
        {
            switch (property.Value)
            {
                case JsonStringNode s:
                    Give(property.Name, new Given(s.Value, s, bag));
                    break;
                case JsonScalarNode { Kind: JsonScalarKind.Null }:
                    Give(property.Name, new Given("", null, bag));
                    break;
                case JsonScalarNode { Kind: JsonScalarKind.Number or JsonScalarKind.Boolean } scalar:
                    bag.Error(property.Value,
                        $"the value of variable \"{property.Name}\" must be a string or null, not {property.Value.KindName}: Packer reads var files as strings, so write \"{scalar.Text}\"");
                    continue;
                default:
                    bag.Error(property.Value, $"the value of variable \"{property.Name}\" must be a string or null, not {property.Value.KindName}");
                    continue;
            }

            if (!_declared.ContainsKey(property.Name))
            {
                bag.Warning(property.NamePosition, property.Value.Path, Undeclared(property.Name));
            }
        }
    }

    public void ApplyVar(string name, string value)
    {
        if (!_declared.ContainsKey(name))
        {
            _bag.WarningElsewhere(new Diagnostic(CommandLine, 0, 0, "", Undeclared(name), Suggestions.Closest(name, _declared.Keys)));
        }

        Give(name, new Given(value, null, null));
    }

    /// <summary>Computes every variable's value (declared or given); reports required variables left unset.</summary>
    public IReadOnlyDictionary<string, string> Resolve(BindingScope scope)
    {
        foreach (var declaration in _order)
        {
            Resolve(declaration.Name, scope);
        }

        foreach (var name in _givenOrder)
        {
            Resolve(name, scope);
        }

        // Each var file's problems stay together, in the file's order.
        foreach (var bag in _varFileBags)
        {
            _bag.Absorb(bag);
        }

        return _values;
    }

    /// <summary>The value of <paramref name="name"/> for <c>{{user}}</c> in a variable's own value.</summary>
    private string Resolve(string name, BindingScope scope)
    {
        if (_values.TryGetValue(name, out var known))
        {
            return known;
        }

        var isGiven = _given.TryGetValue(name, out var given);
        _declared.TryGetValue(name, out var declaration);
        if (!isGiven && declaration is null)
        {
            return scope.Undefined.Note(name);
        }

        if (!isGiven && declaration!.DefaultText is null)
        {
            _bag.Error(declaration.Node, DiagnosticCode.VariableHasNoValue, $"required variable \"{name}\" is not set (use -var {name}=VALUE or a -var-file)");
            return _values[name] = "";
        }

        if (!_resolving.Add(name))
        {
            var message = $"variable \"{name}\" refers to itself through its value";
            switch (given)
            {
                case { Node: { } node, Bag: { } bag }:
                    bag.Error(node, message);
                    break;
                case { Bag: null }:
                    _bag.ErrorElsewhere(new Diagnostic(CommandLine, 0, 0, "", $"{name}: {message}", null));
                    break;
                default:
                    _bag.Error(declaration!.Node, message);
                    break;
            }

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
        var value = isGiven ? RenderGiven(name, given!, scope, context)
            : declaration!.Node is JsonStringNode text ? scope.Render(text, context) ?? ""
            : declaration.DefaultText!;
        _resolving.Remove(name);
        return _values[name] = value;
    }

    private string RenderGiven(string name, Given given, BindingScope scope, TemplateContext context)
    {
        if (given.Node is not null)
        {
            return (scope with { Bag = given.Bag! }).Render(given.Node, context) ?? "";
        }

        if (!TemplateParser.ContainsActions(given.Text))
        {
            return given.Text;
        }

        var undefinedBefore = scope.Undefined.Count;
        try
        {
            return scope.Actions.Render(given.Text, context);
        }
        catch (TemplateException exception)
        {
            _bag.ErrorElsewhere(new Diagnostic(CommandLine, 0, 0, "", $"{name}: {exception.Message}", null));
            return "";
        }
        finally
        {
            foreach (var undefined in scope.Undefined.Since(undefinedBefore))
            {
                _bag.WarningElsewhere(new Diagnostic(CommandLine, 0, 0, "", $"{name}: {UndefinedVariables.Message(undefined)}", null));
            }
        }
    }

    private void Give(string name, Given value)
    {
        if (_given.TryAdd(name, value))
        {
            _givenOrder.Add(name);
        }
        else
        {
            _given[name] = value;
        }
    }

    private static string Undeclared(string name) =>
        $"variable \"{name}\" is not declared in the build file's variables; Packer accepts it and so does Bakery ({{{{user `{name}`}}}} reads it)";

    private sealed record Declaration(string Name, JsonNode Node, string? DefaultText);

    /// <summary>A value from <c>-var</c> (no node, no bag) or a var file (its string node, or null for JSON null).</summary>
    private sealed record Given(string Text, JsonStringNode? Node, DiagnosticBag? Bag);
}
