using System.Text;
using Bakery.BuildFiles.Templates.Internal;
using Bakery.Hcl;
using Bakery.Hcl.Evaluation;
using Bakery.Hcl.Syntax;

namespace Bakery.BuildFiles.Internal.Hcl2;

/// <summary>
/// One load of an HCL2 template (a <c>.pkr.hcl</c> file, or a folder's files given together): parse, resolve variables and
/// locals, evaluate the sources and builds, and write them as the equivalent legacy JSON build file, which the JSON engine
/// (<see cref="LoadRun"/>) then binds, so both formats end in the same <see cref="Model.BuildDefinition"/> and are checked
/// by the same rules. Problems the JSON engine finds are mapped back to the HCL place they came from.
/// </summary>
internal sealed class Hcl2LoadRun(BuildFileInput input, DateTimeOffset now)
{
    /// <summary>What <c>packer.version</c> gives: the Packer release whose HCL2 behaviour the conformance suite checks.</summary>
    public const string PackerVersion = "1.6.6";

    private static readonly string[] TopLevelBlocks = ["packer", "variable", "variables", "locals", "local", "source", "build", "data"];

    /// <summary>Nested blocks of an amazon-ebs source that are one object (the others repeat and become arrays).</summary>
    private static readonly HashSet<string> SingleBlocks = new(StringComparer.Ordinal)
    {
        "source_ami_filter", "metadata_options", "aws_polling", "vpc_filter", "subnet_filter", "security_group_filter", "assume_role", "filters",
        "placement", "fleet_tags", "tags", "run_tags", "run_volume_tags", "snapshot_tags", "spot_tags",
    };

    private readonly Hcl2Problems _problems = new();
    private readonly List<HclBody> _bodies = [];
    private readonly List<string> _sensitiveValues = [];
    private readonly List<string> _builderNames = [];
    private readonly HashSet<string> _unknownLocals = new(StringComparer.Ordinal);
    private Hcl2DataSources _dataSources = null!;
    private HclFunctions _functions = null!;
    private HclContext _context = null!;

    public BuildFileResult Run()
    {
        if (Prepare() is not { } prepared)
        {
            return Fail(null);
        }

        var (blocks, variables, values) = prepared;
        foreach (var block in blocks.Where(b => b.Type == "packer"))
        {
            CheckPackerBlock(block);
        }

        var sources = CollectSources(blocks);
        var builds = blocks.Where(b => b.Type == "build").ToList();
        if (builds.Count == 0)
        {
            _problems.Error(new HclPosition(input.Path, 1, 1), "build", "the template has no build block: add build { sources = [\"source.amazon-ebs.NAME\"] }");
        }

        var emitter = new JsonEmitter();
        var outlineVariables = variables.Outline.ToList();
        WriteTemplate(emitter, values, variables, sources, builds);
        foreach (var (name, position, hclPath) in emitter.Duplicates)
        {
            _problems.Error(position, hclPath, $"\"{name}\" is given twice here (as an argument and as a block, or by two blocks): keep one");
        }

        if (_problems.Errors.Count > 0)
        {
            return Fail(outlineVariables);
        }

        // The JSON engine binds the tree built from the evaluated values: no JSON text is written or read.
        var result = new LoadRun(input with
        {
            Content = ReadOnlyMemory<byte>.Empty,
            Vars = [],
            VarFiles = [],
            Only = ResolveSelection(input.Only),
            Except = ResolveSelection(input.Except),
            Environment = static _ => null,
            FromHcl2 = true,
        }, now, emitter.Root).Run();
        return Remap(result, emitter, outlineVariables);
    }

    /// <summary>
    /// <c>packer console</c> for a template: the expression evaluated with the template's variables, locals and
    /// contextual values, printed as the console prints it. Throws <see cref="InvalidOperationException"/> with the problems.
    /// </summary>
    public string Console(string expression)
    {
        if (Prepare() is null || _problems.Errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, _problems.Errors));
        }

        try
        {
            var value = HclEvaluator.Evaluate(HclParser.ParseExpression("<console-input>", expression), _context);
            return value.Kind == HclValueKind.String ? value.AsString : value.ToString();
        }
        catch (HclException exception)
        {
            throw new InvalidOperationException(exception.Message, exception);
        }
    }

    /// <summary>
    /// <c>fileset</c>'s listing: Packer 1.6.6 globs a relative path from the template's folder (not the working folder,
    /// checked with <c>packer console</c>; <c>file</c>, <c>fileexists</c> and <c>templatefile</c> read from there too), in the bundle: the local disk, or the uploaded folder in S3.
    /// </summary>
    private IReadOnlyList<string>? ListFiles(string templateDir, string folder)
    {
        if (input.Files.ResolveRelative(templateDir, folder) is not { } bundleFolder)
        {
            return null;
        }

        var start = bundleFolder.Length == 0 ? "" : bundleFolder + "/";
        return [.. input.Files.ListFiles(bundleFolder).Where(f => f.StartsWith(start, StringComparison.Ordinal)).Select(f => f[start.Length..])];
    }

    /// <summary>Parse, variables, data sources, locals: everything before the sources. Null when a file does not parse.</summary>
    private (List<HclBlock> Blocks, Hcl2Variables Variables, Dictionary<string, HclValue> Values)? Prepare()
    {
        Parse(input.Path, input.Content);
        foreach (var more in input.MoreFiles)
        {
            Parse(more.Path, more.Content);
        }

        if (_problems.Errors.Count > 0)
        {
            return null;
        }

        var blocks = _bodies.SelectMany(b => b.Blocks).ToList();
        foreach (var attribute in _bodies.SelectMany(b => b.Attributes))
        {
            _problems.Error(attribute.Position, attribute.Name, $"unexpected attribute \"{attribute.Name}\" at the top level: a template holds blocks (variable, locals, source, build, ...)");
        }

        foreach (var block in blocks.Where(b => !TopLevelBlocks.Contains(b.Type)))
        {
            _problems.Error(block.Position, block.Type, $"unknown block type \"{block.Type}\"", Suggestions.Closest(block.Type, TopLevelBlocks));
        }

        var templateDir = input.Files.GetBuildFileFolder(input.Path);
        var options = new HclFunctionOptions
        {
            Now = now,
            TemplateDirectory = templateDir,
            WorkingDirectory = input.Pwd.Length > 0 ? input.Pwd : templateDir,
            ReadFile = path => input.Files.ResolveRelative(templateDir, path) is { } bundlePath ? input.Files.ReadText(bundlePath) : null,
            ListFiles = folder => ListFiles(templateDir, folder),
            Extra = new Dictionary<string, Func<IReadOnlyList<HclValue>, HclValue>>(StringComparer.Ordinal)
            {
                ["legacy_isotime"] = a => a is [{ Kind: HclValueKind.String } layout]
                    ? HclValue.String(GoTime.Format(now.ToUniversalTime(), layout.AsString))
                    : throw new HclFunctionException("legacy_isotime takes one argument, a Go time layout"),
            },
        };
        _functions = new HclFunctions(options);
        var defaultFunctions = new HclFunctions(options with { Environment = input.Environment });

        // Variables.
        var variables = new Hcl2Variables(_problems, _functions);
        foreach (var block in blocks.Where(b => b.Type == "variable"))
        {
            variables.Declare(block, defaultFunctions);
        }

        foreach (var block in blocks.Where(b => b.Type == "variables"))
        {
            // The older form: variables { name = default }.
            foreach (var attribute in block.Body.Attributes)
            {
                variables.Declare(new HclBlock("variable", [attribute.Name], new HclBody([attribute with { Name = "default" }], [], attribute.Position), attribute.Position), defaultFunctions);
            }
        }

        foreach (var name in variables.Names.ToList())
        {
            if (input.Environment("PKR_VAR_" + name) is { } fromEnvironment)
            {
                variables.SetFromText(name, fromEnvironment, "PKR_VAR_" + name);
            }
        }

        foreach (var file in input.VarFiles)
        {
            variables.ApplyVarFile(file);
        }

        foreach (var (name, value) in input.Vars)
        {
            variables.SetFromText(name, value, $"-var {name}");
        }

        var values = variables.Resolve();
        foreach (var (name, value) in values.Where(v => variables.IsSensitive(v.Key)))
        {
            CollectSensitive(value);
        }

        _context = new HclContext
        {
            Functions = _functions,
            Variables = new Dictionary<string, HclValue>(StringComparer.Ordinal)
            {
                ["var"] = HclValue.Object(values),
                ["path"] = HclValue.Object([new("root", HclValue.String(templateDir)), new("cwd", HclValue.String(input.Pwd.Length > 0 ? input.Pwd : templateDir))]),
                ["packer"] = HclValue.Object([new("version", HclValue.String(PackerVersion))]),
                // Build-time data: the JSON engine's deferred templates, rendered by the step where the value exists.
                ["build"] = HclValue.Object(BuildTimeData.Select(n => new KeyValuePair<string, HclValue>(n, HclValue.String(n == "ID" || n == "PackerRunUUID" ? $"{{{{ build `{n}` }}}}" : $"{{{{ .{n} }}}}")))),
            },
        };

        // Data sources and locals in one dependency order: each may read the other (Packer since 1.10).
        _dataSources = new Hcl2DataSources(_problems, input.DataSources);
        _problems.ReadsUnknown = ReadsUnknown;
        ResolveDataSourcesAndLocals(blocks);
        _sensitiveValues.AddRange(_dataSources.SensitiveValues);

        return (blocks, variables, values);
    }

    private static readonly string[] BuildTimeData = ["ID", "PackerRunUUID", "SourceAMI", "SourceAMIName", "SourceAMIOwner", "SourceAMIOwnerName", "SourceAMICreationDate", "BuildRegion", "Region"];

    private void Parse(string path, ReadOnlyMemory<byte> content)
    {
        // The limit of every build file (docs/build-files.md#limits), checked here as the JSON engine checks it for JSON.
        if (content.Length > JsonTreeReader.MaxFileBytes)
        {
            _problems.Error(new HclPosition(path, 1, 1), "", $"the file is {content.Length} bytes; the limit is {JsonTreeReader.MaxFileBytes} bytes (4 MiB)");
            return;
        }

        try
        {
            _bodies.Add(path.EndsWith(".pkr.json", StringComparison.OrdinalIgnoreCase)
                ? HclJsonSyntax.ParseFile(path, content.Span)
                : HclParser.ParseFile(path, Encoding.UTF8.GetString(content.Span)));
        }
        catch (HclException exception)
        {
            _problems.Add(exception, "");
        }
    }

    private void CheckPackerBlock(HclBlock block)
    {
        foreach (var attribute in block.Body.Attributes.Where(a => a.Name != "required_version"))
        {
            _problems.Error(attribute.Position, $"packer.{attribute.Name}", $"unknown packer argument \"{attribute.Name}\"", "required_version");
        }

        foreach (var inner in block.Body.Blocks.Where(b => b.Type != "required_plugins"))
        {
            _problems.Error(inner.Position, $"packer.{inner.Type}", $"unknown block \"{inner.Type}\" in packer", "required_plugins");
        }

        // required_plugins is accepted as written: the amazon plugin is built in.
    }

    private void CollectSensitive(HclValue value)
    {
        switch (value.Kind)
        {
            case HclValueKind.String:
                _sensitiveValues.Add(value.AsString);
                break;
            case HclValueKind.Number or HclValueKind.Bool:
                _sensitiveValues.Add(Hcl2Variables.Display(value));
                break;
            case HclValueKind.List:
                value.Items.ToList().ForEach(CollectSensitive);
                break;
            case HclValueKind.Object:
                value.Fields.Values.ToList().ForEach(CollectSensitive);
                break;
        }
    }

    // ---- data sources ---------------------------------------------------------------------------------------------

    private const string DataMarker = "\u0001bakery-data:";

    private readonly Dictionary<string, HclValue> _amiFilters = new(StringComparer.Ordinal);

    /// <summary>
    /// Data sources and locals, evaluated in dependency order (Packer evaluates them so since 1.10; 1.6.6 predates data
    /// sources): a local may read data sources, a data source may read locals and other data sources, each evaluated after
    /// what it reads. A cycle (<c>local.a</c> reads <c>data.x.y</c>, which reads <c>local.a</c>) is an error naming both ends
    /// with their places; what is in a cycle stays unknown, so what reads it is not reported again.
    /// <c>data "amazon-ami"</c>: its filters become the <c>source_ami_filter</c> of every source whose <c>source_ami</c> is
    /// its <c>id</c>, which Prepare resolves with DescribeImages when the build starts (as Packer resolves the data source
    /// before the build). Other uses of its attributes, and other data sources, are refused with the way round. A lookup
    /// (parameter, secret) whose arguments read a lookup not made yet is unknown and asked for in the next round.
    /// </summary>
    private void ResolveDataSourcesAndLocals(List<HclBlock> blocks)
    {
        var byType = new Dictionary<string, List<KeyValuePair<string, HclValue>>>(StringComparer.Ordinal);
        var declared = new Dictionary<string, HclBlock>(StringComparer.Ordinal);
        foreach (var block in blocks.Where(b => b.Type == "data"))
        {
            if (block.Labels.Count != 2)
            {
                _problems.Error(block.Position, "data", "a data block has two labels, its type and name: data \"amazon-ami\" \"ubuntu\" { ... }");
                continue;
            }

            if (!declared.TryAdd($"{block.Labels[0]}.{block.Labels[1]}", block))
            {
                _problems.Error(block.Position, $"data.{block.Labels[0]}.{block.Labels[1]}", $"data \"{block.Labels[0]}\" \"{block.Labels[1]}\" is declared twice; rename one");
            }
        }

        var definitions = CollectLocals(blocks);
        var localValues = new Dictionary<string, HclValue>(StringComparer.Ordinal);

        // Depth-first in dependency order over "data.TYPE.NAME" and "local.NAME"; state: false while a node's own
        // dependencies are being resolved. Nodes that read an amazon-ami (its marker) directly or through locals are noted.
        var state = new Dictionary<string, bool>(StringComparer.Ordinal);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        var readsAmi = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in declared.Keys)
        {
            Visit("data." + key, null);
        }

        foreach (var name in definitions.Keys)
        {
            Visit("local." + name, null);
        }

        _context = Context();

        HclContext Context() => _context
            .With("data", HclValue.Object(byType.Select(p => new KeyValuePair<string, HclValue>(p.Key, HclValue.Object(p.Value)))))
            .With("local", HclValue.Object(localValues));

        HclPosition PlaceOf(string node) => node.StartsWith("data.", StringComparison.Ordinal)
            ? declared[node[5..]].Position
            : definitions[node[6..]].Attribute.Position;

        // The nodes a node reads, each with the place of the reference.
        IEnumerable<(string Node, HclPosition At)> DependenciesOf(string node)
        {
            var deep = node.StartsWith("data.", StringComparison.Ordinal)
                ? HclReferences.TwoDeep(declared[node[5..]].Body)
                : HclReferences.TwoDeep(definitions[node[6..]].Attribute.Value);
            var shallow = node.StartsWith("data.", StringComparison.Ordinal)
                ? HclReferences.Of(declared[node[5..]].Body)
                : HclReferences.Of(definitions[node[6..]].Attribute.Value);
            foreach (var (root, type, name, at) in deep)
            {
                if (root == "data" && declared.ContainsKey($"{type}.{name}"))
                {
                    yield return ($"data.{type}.{name}", at);
                }
            }

            foreach (var (root, name, at) in shallow)
            {
                if (root == "local" && name is not null && definitions.ContainsKey(name))
                {
                    yield return ("local." + name, at);
                }
            }
        }

        // False when the node is part of a cycle or reads one that is (already reported): it is left unknown.
        bool Visit(string node, (string Node, HclPosition At)? from)
        {
            if (state.TryGetValue(node, out var done))
            {
                if (!done && from is { } reader)
                {
                    var message = node == reader.Node
                        ? $"{node} reads itself: a {(node.StartsWith("data.", StringComparison.Ordinal) ? "data source" : "local")} cannot depend on itself"
                        : $"{reader.Node} (read at {reader.At}) and {node} (declared at {PlaceOf(node)}) depend on each other: a cycle of data sources and locals; one of them must not read the other";
                    _problems.Error(reader.At, reader.Node, message);
                    failed.Add(node);
                }

                return done && !failed.Contains(node);
            }

            state[node] = false;
            var ok = true;
            foreach (var (dependency, at) in DependenciesOf(node))
            {
                ok &= Visit(dependency, (node, at));
                if (dependency.StartsWith("data.amazon-ami.", StringComparison.Ordinal) || readsAmi.Contains(dependency))
                {
                    readsAmi.Add(node);
                }
            }

            state[node] = true;
            ok &= !failed.Contains(node);
            if (node.StartsWith("local.", StringComparison.Ordinal))
            {
                var name = node[6..];
                if (ok)
                {
                    ResolveLocal(name, definitions[name], Context(), localValues);
                }
                else
                {
                    failed.Add(node);
                    localValues[name] = Hcl2Unknown.Of(node);
                    _unknownLocals.Add(name);
                }

                return ok;
            }

            var key = node[5..];
            var block = declared[key];
            if (readsAmi.Contains(node) && block.Labels[0] != "amazon-ami")
            {
                // amazon-ami is looked up when the build starts, after every other data source has been read.
                _problems.Error(block.Position, node,
                    $"{node} reads a data.amazon-ami value, which Bakery looks up only when the build starts: a data.amazon-ami value can only be a source's source_ami = data.amazon-ami.NAME.id");
                ok = false;
            }

            if (!ok)
            {
                failed.Add(node);
                if (Hcl2DataSources.IsLookup(block.Labels[0]))
                {
                    AddData(block.Labels[0], block.Labels[1], Hcl2DataSources.UnknownAttributes(block.Labels[0], node));
                }

                return false;
            }

            Resolve(block, Context());
            return true;
        }

        void Resolve(HclBlock block, HclContext context)
        {
            var path = $"data.{string.Join(".", block.Labels)}";
            if (Hcl2DataSources.IsLookup(block.Labels[0]))
            {
                AddData(block.Labels[0], block.Labels[1], _dataSources.Resolve(block, context));
                return;
            }

            if (block.Labels[0] != "amazon-ami")
            {
                _problems.Error(block.Position, path,
                    $"the data source \"{block.Labels[0]}\" is not supported yet: only amazon-ami, amazon-parameterstore and amazon-secretsmanager are (pass the value as a variable instead)");
                return;
            }

            var filter = new List<KeyValuePair<string, HclValue>>();
            foreach (var attribute in block.Body.Attributes)
            {
                if (attribute.Name is not ("filters" or "owners" or "most_recent" or "region"))
                {
                    _problems.Error(attribute.Position, $"{path}.{attribute.Name}", $"unknown amazon-ami argument \"{attribute.Name}\"",
                        Suggestions.Closest(attribute.Name, ["filters", "owners", "most_recent"]));
                    continue;
                }

                if (attribute.Name != "region" && _problems.Evaluate(attribute, path, context) is { } value)
                {
                    filter.Add(new(attribute.Name, value));
                }
            }

            var key = $"{block.Labels[0]}.{block.Labels[1]}";
            _amiFilters[key] = HclValue.Object(filter);
            var marker = HclValue.String(DataMarker + key + "\u0001");
            AddData(block.Labels[0], block.Labels[1], HclValue.Object([new("id", marker), new("name", HclValue.String(DataMarker + key + ".name\u0001"))]));
        }

        void AddData(string type, string label, HclValue value)
        {
            if (!byType.TryGetValue(type, out var list))
            {
                byType[type] = list = [];
            }

            list.Add(new(label, value));
        }
    }

    /// <summary>Whether <paramref name="expression"/> reads a data source not looked up yet, or a local made of one.</summary>
    private bool ReadsUnknown(HclExpression expression) => HclReferences.Of(expression).Any(reference =>
        reference.Root == "data" && _dataSources.Unknown.Count > 0 && reference.Attribute is { } type && Hcl2DataSources.IsLookup(type)
        || reference.Root == "local" && reference.Attribute is { } name && _unknownLocals.Contains(name));

    private static bool ContainsDataMarker(HclValue value) => value.Kind switch
    {
        HclValueKind.String => value.AsString.Contains(DataMarker, StringComparison.Ordinal),
        HclValueKind.List => value.Items.Any(ContainsDataMarker),
        HclValueKind.Object => value.Fields.Values.Any(ContainsDataMarker),
        _ => false,
    };

    // ---- locals ---------------------------------------------------------------------------------------------------

    /// <summary>Every local, from <c>locals</c> blocks and <c>local "NAME"</c> blocks, with whether it is sensitive.</summary>
    private Dictionary<string, (HclAttribute Attribute, bool Sensitive)> CollectLocals(List<HclBlock> blocks)
    {
        var definitions = new Dictionary<string, (HclAttribute Attribute, bool Sensitive)>(StringComparer.Ordinal);
        foreach (var block in blocks.Where(b => b.Type == "locals"))
        {
            foreach (var attribute in block.Body.Attributes)
            {
                if (!definitions.TryAdd(attribute.Name, (attribute, false)))
                {
                    _problems.Error(attribute.Position, $"local.{attribute.Name}", $"local \"{attribute.Name}\" is defined twice; remove one");
                }
            }
        }

        foreach (var block in blocks.Where(b => b.Type == "local"))
        {
            var name = block.Labels.FirstOrDefault() ?? "";
            var expression = block.Body.Attribute("expression");
            if (block.Labels.Count != 1 || expression is null)
            {
                _problems.Error(block.Position, $"local.{name}", "a local block is local \"NAME\" { expression = ..., sensitive = true }");
                continue;
            }

            var sensitive = block.Body.Attribute("sensitive") is { } flag && _problems.Evaluate(flag, $"local.{name}", _context) is { Kind: HclValueKind.Bool } b && b.AsBool;
            if (!definitions.TryAdd(name, (expression with { Name = name }, sensitive)))
            {
                _problems.Error(block.Position, $"local.{name}", $"local \"{name}\" is defined twice; remove one");
            }
        }

        return definitions;
    }

    /// <summary>One local, evaluated once what it reads is known (<see cref="ResolveDataSourcesAndLocals"/>).</summary>
    private void ResolveLocal(string name, (HclAttribute Attribute, bool Sensitive) definition, HclContext context, Dictionary<string, HclValue> values)
    {
        if (_problems.Evaluate(definition.Attribute, "local", context) is { } value)
        {
            values[name] = value;
            if (Hcl2Unknown.In(value))
            {
                _unknownLocals.Add(name);
            }

            if (definition.Sensitive)
            {
                CollectSensitive(value);
            }
        }
    }

    // ---- sources and builds ---------------------------------------------------------------------------------------

    private Dictionary<string, HclBlock> CollectSources(List<HclBlock> blocks)
    {
        var sources = new Dictionary<string, HclBlock>(StringComparer.Ordinal);
        foreach (var block in blocks.Where(b => b.Type == "source"))
        {
            if (block.Labels.Count != 2)
            {
                _problems.Error(block.Position, "source", "a source block has two labels, its type and name: source \"amazon-ebs\" \"web\" { ... }");
                continue;
            }

            var key = $"{block.Labels[0]}.{block.Labels[1]}";
            if (!sources.TryAdd(key, block))
            {
                _problems.Error(block.Position, $"source.{key}", $"source \"{block.Labels[0]}\" \"{block.Labels[1]}\" is declared twice; rename one");
            }
        }

        return sources;
    }

    /// <summary>One source as used by one build: its builder name and the nested source block that overrides it.</summary>
    private sealed record BuildSource(string Reference, string Type, string Name, string BuilderName, HclBlock Source, HclBlock? Override);

    private void WriteTemplate(JsonEmitter emitter, Dictionary<string, HclValue> values, Hcl2Variables variables, Dictionary<string, HclBlock> sources, List<HclBlock> builds)
    {
        var root = new HclPosition(input.Path, 1, 1);
        emitter.StartObject();

        // Variables travel into the model for display and redaction; '{{' is escaped so the JSON engine keeps them as written.
        emitter.Property("variables", root, "variable");
        emitter.StartObject();
        foreach (var (name, value) in values)
        {
            emitter.WriteString(name, Hcl2Variables.Display(value).Replace("{{", "{{\"{{\"}}", StringComparison.Ordinal));
        }

        emitter.EndObject();
        emitter.Leave();
        var sensitiveNames = values.Keys.Where(variables.IsSensitive).ToList();
        if (sensitiveNames.Count > 0)
        {
            emitter.PropertyName("sensitive-variables");
            emitter.StartArray();
            sensitiveNames.ForEach(emitter.StringValue);
            emitter.EndArray();
        }

        var plans = new List<(HclBlock Build, string? Name, List<BuildSource> Sources)>();
        foreach (var build in builds)
        {
            var name = build.Body.Attribute("name") is { } nameAttribute && _problems.Evaluate(nameAttribute, "build", _context) is { Kind: HclValueKind.String } n ? n.AsString : null;
            plans.Add((build, name, BuildSources(build, name, sources)));
        }

        var allNames = plans.SelectMany(p => p.Sources).GroupBy(s => s.BuilderName, StringComparer.Ordinal);
        foreach (var duplicate in allNames.Where(g => g.Count() > 1))
        {
            var second = duplicate.Skip(1).First();
            _problems.Error((second.Override ?? second.Source).Position, "build", $"two builds would both be named \"{duplicate.Key}\": give the build blocks distinct names (build {{ name = \"...\" }})");
        }

        emitter.Property("builders", root, "build");
        emitter.StartArray();
        var index = 0;
        foreach (var source in plans.SelectMany(p => p.Sources))
        {
            _builderNames.Add(source.BuilderName);
            emitter.Item(index++, (source.Override ?? source.Source).Position, $"source.{source.Reference}");
            WriteBuilder(emitter, source);
            emitter.Leave();
        }

        emitter.EndArray();
        emitter.Leave();

        var single = plans.Count == 1;
        emitter.Property("provisioners", root, "build");
        emitter.StartArray();
        index = 0;
        foreach (var (build, name, buildSources) in plans)
        {
            // Plain loops and one path string per provisioner type: an iterator, a LINQ filter and three equal path strings
            // per provisioner were machinery a 1 MB template paid 4,800 times (docs/benchmarks.md 1b).
            string? stepPath = null;
            foreach (var block in build.Body.Blocks)
            {
                if (block.Type != "provisioner")
                {
                    continue;
                }

                var label = block.Labels.Count > 0 ? block.Labels[0] : null;
                if (stepPath is null || !stepPath.AsSpan("build.provisioner[".Length, stepPath.Length - "build.provisioner[]".Length).SequenceEqual(label))
                {
                    stepPath = $"build.provisioner[{label}]";
                }

                if (!HclReferences.Reads(block.Body, "source"))
                {
                    WriteProvisioner(emitter, block, buildSources, single ? null : [.. buildSources.Select(s => s.BuilderName)], _context, stepPath, ref index);
                    continue;
                }

                foreach (var source in buildSources)
                {
                    WriteProvisioner(emitter, block, buildSources, [source.BuilderName], SourceContext(source), stepPath, ref index);
                }
            }
        }

        emitter.EndArray();
        emitter.Leave();

        WriteErrorCleanupProvisioners(emitter, root, plans);

        emitter.Property("post-processors", root, "build");
        emitter.StartArray();
        index = 0;
        foreach (var (build, name, buildSources) in plans)
        {
            foreach (var block in build.Body.Blocks)
            {
                switch (block.Type)
                {
                    case "post-processor":
                        foreach (var (only, context) in Expansions(block, buildSources, single))
                        {
                            var selection = Selection(block, buildSources, only, context, $"build.post-processor[{block.Labels.FirstOrDefault()}]");
                            if (selection.None)
                            {
                                continue;
                            }

                            emitter.Item(index++, block.Position, $"build.post-processor[{block.Labels.FirstOrDefault()}]");
                            WriteStep(emitter, block, selection, context, "post-processor");
                            emitter.Leave();
                        }

                        break;
                    case "post-processors":
                        emitter.Item(index++, block.Position, "build.post-processors");
                        emitter.StartArray();
                        var inner = 0;
                        foreach (var step in block.Body.Blocks.Where(b => b.Type == "post-processor"))
                        {
                            var stepPath = $"build.post-processors.post-processor[{step.Labels.FirstOrDefault()}]";
                            var selection = Selection(step, buildSources, single ? null : buildSources.Select(s => s.BuilderName).ToList(), _context, stepPath);
                            if (selection.None)
                            {
                                continue;
                            }

                            emitter.Item(inner++, step.Position, stepPath);
                            WriteStep(emitter, step, selection, _context, "post-processor");
                            emitter.Leave();
                        }

                        emitter.EndArray();
                        emitter.Leave();
                        break;
                    case "provisioner" or "source":
                        break;
                    case ErrorCleanupProvisioner.Key:
                        break;
                    default:
                        _problems.Error(block.Position, $"build.{block.Type}", $"unknown block \"{block.Type}\" in a build",
                            Suggestions.Closest(block.Type, ["source", "provisioner", "post-processor", "post-processors", ErrorCleanupProvisioner.Key]));
                        break;
                }
            }

            foreach (var attribute in build.Body.Attributes.Where(a => a.Name is not ("name" or "sources" or "description")))
            {
                _problems.Error(attribute.Position, $"build.{attribute.Name}", $"unknown build argument \"{attribute.Name}\"", Suggestions.Closest(attribute.Name, ["name", "sources", "description"]));
            }
        }

        emitter.EndArray();
        emitter.Leave();
        emitter.EndObject();
    }

    private void WriteProvisioner(JsonEmitter emitter, HclBlock block, List<BuildSource> buildSources, List<string>? only, HclContext context, string path, ref int index)
    {
        var selection = Selection(block, buildSources, only, context, path);
        if (selection.None)
        {
            return;
        }

        emitter.Item(index++, block.Position, path);
        WriteStep(emitter, block, selection, context, "provisioner", path);
        emitter.Leave();
    }

    /// <summary>
    /// Each build's <c>error-cleanup-provisioner</c> block (Packer 1.7+, one per build) as an entry of the JSON engine's
    /// <c>error-cleanup-provisioner</c> list, its <c>only</c> naming the build's own sources: it runs for them alone.
    /// </summary>
    private void WriteErrorCleanupProvisioners(JsonEmitter emitter, HclPosition root, List<(HclBlock Build, string? Name, List<BuildSource> Sources)> plans)
    {
        if (!plans.Any(p => p.Build.Body.Blocks.Any(b => b.Type == ErrorCleanupProvisioner.Key)))
        {
            return;
        }

        emitter.Property(ErrorCleanupProvisioner.Key, root, "build");
        emitter.StartArray();
        var index = 0;
        foreach (var (build, _, buildSources) in plans)
        {
            var blocks = build.Body.Blocks.Where(b => b.Type == ErrorCleanupProvisioner.Key).ToList();
            foreach (var extra in blocks.Skip(1))
            {
                _problems.Error(extra.Position, $"build.{ErrorCleanupProvisioner.Key}", ErrorCleanupProvisioner.OnePerBuild);
            }

            if (blocks.Count == 0)
            {
                continue;
            }

            var block = blocks[0];
            var path = $"build.{ErrorCleanupProvisioner.Key}[{block.Labels.FirstOrDefault()}]";
            foreach (var (only, context) in Expansions(block, buildSources, single: false))
            {
                var selection = Selection(block, buildSources, only, context, path);
                if (selection.None)
                {
                    continue;
                }

                emitter.Item(index++, block.Position, path);
                WriteStep(emitter, block, selection, context, ErrorCleanupProvisioner.Key);
                emitter.Leave();
            }
        }

        emitter.EndArray();
        emitter.Leave();
    }

    private List<BuildSource> BuildSources(HclBlock build, string? buildName, Dictionary<string, HclBlock> sources)
    {
        var references = new List<(string Reference, HclPosition Position, HclBlock? Override)>();
        if (build.Body.Attribute("sources") is { } list)
        {
            if (list.Value is not HclTuple tuple)
            {
                _problems.Error(list.Position, "build.sources", "sources is a list: sources = [\"source.amazon-ebs.NAME\"]");
            }
            else
            {
                foreach (var item in tuple.Items)
                {
                    // Packer takes both "source.T.N" and the bare reference source.T.N.
                    var text = item is HclTemplate { Parts: [HclTemplateText t] } ? t.Text : HclPrinter.Print(item);
                    references.Add((text, item.Position, null));
                }
            }
        }

        foreach (var nested in build.Body.Blocks.Where(b => b.Type == "source"))
        {
            if (nested.Labels.Count != 1)
            {
                _problems.Error(nested.Position, "build.source", "a source block inside a build has one label: source \"source.amazon-ebs.NAME\" { ... }");
                continue;
            }

            references.Add((nested.Labels[0], nested.Position, nested));
        }

        if (references.Count == 0)
        {
            _problems.Error(build.Position, "build", "the build uses no source: add sources = [\"source.amazon-ebs.NAME\"]");
        }

        var result = new List<BuildSource>();
        foreach (var (reference, position, overrideBlock) in references)
        {
            var key = reference.StartsWith("source.", StringComparison.Ordinal) ? reference["source.".Length..] : null;
            if (key is null || !sources.TryGetValue(key, out var source))
            {
                _problems.Error(position, "build.sources", $"\"{reference}\" is not a declared source (write source.TYPE.NAME)",
                    Suggestions.Closest(reference, sources.Keys.Select(k => "source." + k)));
                continue;
            }

            var name = source.Labels[1];
            if (overrideBlock?.Body.Attribute("name") is { } rename && _problems.Evaluate(rename, "build.source", _context) is { Kind: HclValueKind.String } renamed)
            {
                name = renamed.AsString;
            }

            var type = source.Labels[0];
            var builderName = (buildName is null ? "" : buildName + ".") + type + "." + name;
            result.Add(new BuildSource(key, type, name, builderName, source, overrideBlock));
        }

        return result;
    }

    /// <summary>The context of one source: <c>source.name</c> and <c>source.type</c>.</summary>
    private HclContext SourceContext(BuildSource source) =>
        _context.With("source", HclValue.Object([new("name", HclValue.String(source.Name)), new("type", HclValue.String(source.Type))]));

    private void WriteBuilder(JsonEmitter emitter, BuildSource source)
    {
        var context = SourceContext(source);
        var path = $"source.{source.Reference}";
        emitter.StartObject();
        emitter.WriteString("type", source.Type);
        emitter.WriteString("name", source.BuilderName);
        var overrides = source.Override?.Body;
        var attributes = source.Source.Body.Attributes
            .Where(a => overrides?.Attribute(a.Name) is null)
            .Concat(overrides?.Attributes.Where(a => a.Name != "name") ?? [])
            .Where(a => a.Name is not ("type" or "name"))
            .ToList();
        var overriddenBlocks = overrides?.Blocks.Select(b => b.Type == "dynamic" ? b.Labels.FirstOrDefault() : b.Type).ToHashSet(StringComparer.Ordinal) ?? [];
        var blocks = source.Source.Body.Blocks
            .Where(b => !overriddenBlocks.Contains(b.Type == "dynamic" ? b.Labels.FirstOrDefault() ?? "" : b.Type))
            .Concat(overrides?.Blocks ?? [])
            .ToList();
        WriteBodyContent(emitter, attributes, blocks, context, path);
        emitter.EndObject();
    }

    /// <summary>Attributes as values; nested blocks as objects (single ones) or arrays of objects; dynamic blocks expanded.</summary>
    private void WriteBodyContent(JsonEmitter emitter, IReadOnlyList<HclAttribute> attributes, IReadOnlyList<HclBlock> blocks, HclContext context, string path)
    {
        // Indexed loops, not foreach over the interface: its boxed enumerator was allocated for every step (docs/benchmarks.md 1b).
        for (var a = 0; a < attributes.Count; a++)
        {
            var attribute = attributes[a];
            var value = _problems.Evaluate(attribute, path, context);
            if (value is not null && ContainsDataMarker(value))
            {
                var key = value.Kind == HclValueKind.String && value.AsString.StartsWith(DataMarker, StringComparison.Ordinal) && value.AsString.EndsWith('\u0001')
                    ? value.AsString[DataMarker.Length..^1]
                    : null;
                if (attribute.Name == "source_ami" && key is not null && _amiFilters.TryGetValue(key, out var filter))
                {
                    emitter.Property("source_ami_filter", attribute.Position, path, attribute.Name);
                    emitter.Value(filter);
                    emitter.Leave();
                    continue;
                }

                _problems.Error(attribute.Position, $"{path}.{attribute.Name}",
                    "a data.amazon-ami value can only be a source's source_ami = data.amazon-ami.NAME.id (Bakery looks the AMI up when the build starts)");
                continue;
            }

            emitter.Property(attribute.Name, attribute.Position, path, attribute.Name);
            emitter.Value(value ?? HclValue.Null);
            emitter.Leave();
        }

        if (blocks.Count == 0)
        {
            return;
        }

        var expanded = new List<(string Type, HclBlock Block, HclContext Context)>();
        foreach (var block in blocks)
        {
            if (block.Type != "dynamic")
            {
                expanded.Add((block.Type, block, context));
                continue;
            }

            expanded.AddRange(ExpandDynamic(block, context, path));
        }

        foreach (var group in expanded.GroupBy(b => b.Type, StringComparer.Ordinal))
        {
            var first = group.First().Block;
            emitter.Property(group.Key, first.Position, path, group.Key);
            if (SingleBlocks.Contains(group.Key))
            {
                foreach (var extra in group.Skip(1))
                {
                    _problems.Error(extra.Block.Position, $"{path}.{group.Key}", $"only one {group.Key} block is allowed here");
                }

                var (_, block, blockContext) = group.First();
                emitter.StartObject();
                WriteBodyContent(emitter, block.Body.Attributes, block.Body.Blocks, blockContext, $"{path}.{group.Key}");
                emitter.EndObject();
            }
            else
            {
                emitter.StartArray();
                var index = 0;
                foreach (var (_, block, blockContext) in group)
                {
                    emitter.Item(index++, block.Position, $"{path}.{group.Key}[{index - 1}]");
                    emitter.StartObject();
                    WriteBodyContent(emitter, block.Body.Attributes, block.Body.Blocks, blockContext, $"{path}.{group.Key}");
                    emitter.EndObject();
                    emitter.Leave();
                }

                emitter.EndArray();
            }

            emitter.Leave();
        }
    }

    /// <summary><c>dynamic "x" { for_each = ..., iterator = it, content { ... } }</c>: one x block per element.</summary>
    private List<(string, HclBlock, HclContext)> ExpandDynamic(HclBlock block, HclContext context, string path)
    {
        var result = new List<(string, HclBlock, HclContext)>();
        var dynamicPath = $"{path}.dynamic";
        var label = block.Labels.Count == 1 ? block.Labels[0] : null;
        var forEach = block.Body.Attribute("for_each");
        var content = block.Body.Blocks.FirstOrDefault(b => b.Type == "content");
        if (label is null || forEach is null || content is null)
        {
            _problems.Error(block.Position, dynamicPath, "a dynamic block is dynamic \"BLOCK\" { for_each = ..., content { ... } }");
            return result;
        }

        var iterator = label;
        if (block.Body.Attribute("iterator") is { } iteratorAttribute)
        {
            iterator = iteratorAttribute.Value is HclVariable v ? v.Name : label;
        }

        if (_problems.Evaluate(forEach, dynamicPath, context) is not { } collection)
        {
            return result;
        }

        IEnumerable<KeyValuePair<HclValue, HclValue>> pairs = collection.Kind switch
        {
            HclValueKind.List => collection.Items.Select((v, i) => new KeyValuePair<HclValue, HclValue>(HclValue.Number(i), v)),
            HclValueKind.Object => collection.Fields.Select(p => new KeyValuePair<HclValue, HclValue>(HclValue.String(p.Key), p.Value)),
            _ => [],
        };
        if (collection.Kind is not (HclValueKind.List or HclValueKind.Object))
        {
            _problems.Error(forEach.Position, dynamicPath + ".for_each", $"for_each needs a list, set or map, not {HclConvert.Describe(collection)}");
        }

        foreach (var (key, value) in pairs)
        {
            var item = HclValue.Object([new("key", key), new("value", value)]);
            result.Add((label, content, context.With(iterator, item)));
        }

        return result;
    }

    /// <summary>
    /// The copies of a provisioner or post-processor: one shared by the build's sources, or one per source when it reads
    /// <c>source.name</c>/<c>source.type</c> (whose value differs per source). Each carries the builder names it applies to
    /// (null: every builder, when the template has one build and the step reads no source data).
    /// </summary>
    private IEnumerable<(List<string>? Only, HclContext Context)> Expansions(HclBlock block, List<BuildSource> sources, bool single)
    {
        var readsSource = HclReferences.Reads(block.Body, "source");
        if (!readsSource)
        {
            yield return (single ? null : sources.Select(s => s.BuilderName).ToList(), _context);
            yield break;
        }

        foreach (var source in sources)
        {
            yield return ([source.BuilderName], SourceContext(source));
        }
    }

    // The Except of every step without one: shared, so never added to.
    private static readonly List<string> NoNames = [];

    /// <summary>
    /// The builders a provisioner or post-processor copy applies to: its <c>only</c>/<c>except</c> (source names TYPE.NAME)
    /// as builder names, within <paramref name="only"/>. Null <c>Only</c>: every builder; <c>None</c>: no builder at all.
    /// </summary>
    private (List<string>? Only, List<string> Except, bool None) Selection(HclBlock block, List<BuildSource> sources, List<string>? only, HclContext context, string path)
    {
        var selection = only;
        // Most steps have no except: they share one empty list, never added to, rather than a new one each.
        var except = NoNames;
        var attributes = block.Body.Attributes;
        for (var a = 0; a < attributes.Count; a++)
        {
            var attribute = attributes[a];
            if (!IsSelection(attribute) || _problems.Evaluate(attribute, path, context) is not { } value)
            {
                continue;
            }

            var names = new List<string>();
            foreach (var item in value.Kind == HclValueKind.List ? value.Items : [value])
            {
                var text = item.Kind == HclValueKind.String ? item.AsString : "";
                var matches = sources.Where(s => s.BuilderName == text || $"{s.Type}.{s.Name}" == text).Select(s => s.BuilderName).ToList();
                if (matches.Count == 0)
                {
                    _problems.Error(attribute.Position, $"{path}.{attribute.Name}", $"\"{text}\" is not a source of this build (sources: {string.Join(", ", sources.Select(s => $"{s.Type}.{s.Name}"))})",
                        Suggestions.Closest(text, sources.Select(s => $"{s.Type}.{s.Name}")));
                }

                names.AddRange(matches);
            }

            if (attribute.Name == "only")
            {
                selection = selection is null ? names : [.. selection.Intersect(names, StringComparer.Ordinal)];
                if (selection.Count == 0)
                {
                    return (null, except, true);
                }
            }
            else
            {
                except = except == NoNames ? names : [.. except, .. names];
            }
        }

        return (selection, except, false);
    }

    private void WriteStep(JsonEmitter emitter, HclBlock block, (List<string>? Only, List<string> Except, bool None) selection, HclContext context, string kind, string? path = null)
    {
        var type = block.Labels.FirstOrDefault() ?? "";
        path ??= $"build.{kind}[{type}]";
        if (block.Labels.Count != 1)
        {
            _problems.Error(block.Position, path, $"a {kind} block has one label, its type: {kind} \"shell\" {{ ... }}");
        }

        emitter.StartObject();
        emitter.WriteString("type", type);
        if (selection.Only is not null)
        {
            emitter.PropertyName("only");
            emitter.StartArray();
            selection.Only.ForEach(emitter.StringValue);
            emitter.EndArray();
        }

        if (selection.Except.Count > 0)
        {
            emitter.PropertyName("except");
            emitter.StartArray();
            selection.Except.ForEach(emitter.StringValue);
            emitter.EndArray();
        }

        // Most steps have no only/except: their attribute list is used as it is, not copied (once per provisioner).
        IReadOnlyList<HclAttribute> attributes = HasSelection(block.Body) ? [.. block.Body.Attributes.Where(a => !IsSelection(a))] : block.Body.Attributes;
        WriteBodyContent(emitter, attributes, block.Body.Blocks, context, path);
        emitter.EndObject();
    }

    private static bool IsSelection(HclAttribute attribute) => attribute.Name is "only" or "except";

    private static bool HasSelection(HclBody body)
    {
        for (var i = 0; i < body.Attributes.Count; i++)
        {
            if (IsSelection(body.Attributes[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>-only</c>/<c>-except</c> name builds as Packer does for HCL2: TYPE.NAME or BUILD.TYPE.NAME.</summary>
    private IReadOnlyList<string> ResolveSelection(IReadOnlyList<string> names) =>
        [.. names.SelectMany(name =>
        {
            var matches = _builderNames.Where(b => b == name || b.EndsWith("." + name, StringComparison.Ordinal)).ToList();
            // An unknown name goes through as written: the JSON engine reports it with the list of builders.
            return matches.Count > 0 ? matches : [name];
        }).Distinct(StringComparer.Ordinal)];

    // ---- results --------------------------------------------------------------------------------------------------

    private BuildFileResult Fail(List<OutlineVariable>? variables) => new()
    {
        DataRequests = _dataSources?.Requests ?? [],
        Errors = [.. _problems.Errors.Select(Redact)],
        Outline = variables is null ? null : new BuildFileOutline { Variables = variables },
        Redactor = new Redactor(_sensitiveValues),
    };

    private Diagnostic Redact(Diagnostic diagnostic)
    {
        var redactor = new Redactor(_sensitiveValues);
        return redactor.IsEmpty ? diagnostic : diagnostic with { Message = redactor.Redact(diagnostic.Message) };
    }

    /// <summary>The JSON engine's result with every place moved back to the HCL file and path it came from.</summary>
    private BuildFileResult Remap(BuildFileResult result, JsonEmitter emitter, List<OutlineVariable> variables)
    {
        Diagnostic Map(Diagnostic diagnostic)
        {
            if (diagnostic.File != input.Path || diagnostic.Line == 0)
            {
                return diagnostic;
            }

            return emitter.NearestOrigin(diagnostic.JsonPath) is { } origin
                ? diagnostic with { File = origin.Position.File, Line = origin.Position.Line, Column = origin.Position.Column, JsonPath = origin.HclPath + origin.Below }
                : diagnostic with { Line = 1, Column = 1 };
        }

        var redactor = new Redactor(_sensitiveValues.Concat(result.Definition?.Variables.Values.Where(_ => false) ?? []));
        // A check that fails on an unknown value says nothing yet: the build, which reads the value, checks it again.
        var errors = result.Errors.Where(d => !d.Message.Contains(Hcl2Unknown.Prefix, StringComparison.Ordinal)).Select(Map).Select(d => redactor.IsEmpty ? d : d with { Message = redactor.Redact(d.Message) }).ToList();
        var definition = result.Definition;
        if (definition is not null)
        {
            definition = definition with
            {
                Variables = definition.Variables.ToDictionary(p => p.Key, p => variablesSensitive(p.Key) ? Redactor.Mask : p.Value.Replace("{{\"{{\"}}", "{{", StringComparison.Ordinal), StringComparer.Ordinal),
            };
        }

        bool variablesSensitive(string name) => variables.Any(v => v.Name == name && v.IsSensitive);

        return result with
        {
            Definition = errors.Count == 0 ? definition : null,
            Errors = errors,
            Warnings = [.. result.Warnings.Select(Map)],
            Outline = result.Outline is null ? null : result.Outline with { Variables = variables },
            Redactor = new Redactor(_sensitiveValues),
            DataRequests = _dataSources.Requests,
        };
    }
}
