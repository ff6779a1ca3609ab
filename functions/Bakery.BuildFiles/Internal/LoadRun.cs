using Bakery.BuildFiles.Model;
using Bakery.BuildFiles.Templates;
using Bakery.Hcl;

namespace Bakery.BuildFiles.Internal;

/// <summary>One load of one build file: the sections in Packer's order, collecting every problem.</summary>
/// <param name="input">The file and its inputs.</param>
/// <param name="now">The load's clock reading.</param>
/// <param name="tree">The file's tree when it was built rather than read (an HCL2 template's evaluated values); null: read <see cref="BuildFileInput.Content"/>.</param>
internal sealed class LoadRun(BuildFileInput input, DateTimeOffset now, JsonNode? tree = null)
{
    private static readonly string[] RootKeys = ["builders", "provisioners", "post-processors", "variables", "sensitive-variables", "description", "min_packer_version"];

    private readonly DiagnosticBag _bag = new(input.Path);
    private readonly IgnoredKeys _ignored = new();
    private readonly FileReferenceLog _references = new();

    public BuildFileResult Run()
    {
        var root = tree ?? JsonTreeReader.Read(input.Content, _bag);
        if (root is null)
        {
            return Finish(null, null, Redactor.None);
        }

        if (root is not JsonObjectNode rootObject)
        {
            _bag.Error(root, $"a build file is a JSON object, not {root.KindName}");
            return Finish(null, null, Redactor.None);
        }

        var templateDir = input.Files.GetBuildFileFolder(input.Path);
        var baseContext = new TemplateContext
        {
            TemplateDir = templateDir,
            Pwd = input.Pwd,
            Timestamp = now.ToUnixTimeSeconds(),
            Now = now,
            DeferBuildTimeData = true,
            Environment = input.Environment,
        };
        var rootScope = new BindingScope(_bag, baseContext, input.Files, templateDir, _ignored, _references)
        {
            WorkingFolder = input.WorkingFolder,
            StrictLists = input.FromHcl2,
        };
        var rootReader = new ObjectReader(rootObject, rootScope);
        var description = rootReader.String("description", render: false);
        rootReader.String("min_packer_version", render: false);

        var variables = new VariableResolver(_bag);
        variables.Declare(rootReader.Take("variables"));
        var sensitive = BindSensitive(rootReader, variables);
        foreach (var file in input.VarFiles)
        {
            variables.ApplyVarFile(file);
        }

        foreach (var (name, value) in input.Vars)
        {
            variables.ApplyVar(name, value);
        }

        var errorsBeforeVariables = _bag.ErrorCount;
        var values = variables.Resolve(rootScope);
        var redactor = new Redactor(sensitive.Select(n => values.TryGetValue(n, out var v) ? v : ""));

        // From here on `env` is not allowed (Packer allows it only in variable defaults).
        var scope = rootScope with
        {
            VariablesIncomplete = _bag.ErrorCount != errorsBeforeVariables,
            Template = new TemplateContext
            {
                UserVariable = input.FromHcl2 ? null : name => values.TryGetValue(name, out var v) ? v : rootScope.Undefined.Note(name),
                InHcl2 = input.FromHcl2,
                TemplateDir = templateDir,
                Pwd = input.Pwd,
                Timestamp = baseContext.Timestamp,
                Now = now,
                DeferBuildTimeData = true,
            },
        };

        var builderNodes = SectionItems(rootReader, "builders", required: true);
        var provisionerNodes = SectionItems(rootReader, "provisioners", required: false);
        var postProcessorSection = rootReader.Take("post-processors");
        var postProcessorNodes = postProcessorSection is null ? [] : PostProcessorBinder.Flatten(postProcessorSection, _bag);
        var errorCleanupNodes = ErrorCleanupItems(rootReader, input.FromHcl2);

        rootReader.Finish(ignoreUnderscoreKeys: true);

        // Names come from the file as written, so a builder with an error still counts as one (for -only and only/except).
        var builderNames = builderNodes.Select(n => NameOf(n, scope)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var selected = Select(builderNames);
        // As in Packer, what -only/-except leave out is not validated at all: a docker builder beside the amazon-ebs one,
        // or a provisioner only for it, does not fail `-only amazon-ebs`.
        var filtered = input.Only.Count > 0 || input.Except.Count > 0;
        var builders = BindBuilders([.. builderNodes.Where(n => !filtered || NameOf(n, scope) is not { } name || selected.Contains(name))], scope);

        // Provisioners and post-processors render per build when they use {{build_name}}; the others once, shared by every build.
        // With no usable builder they are still checked once.
        var renderNames = filtered ? [.. builderNames.Where(selected.Contains)] : builderNames;
        var renderFor = renderNames.Count > 0 ? renderNames : [""];
        // One scope per build for the whole load: a copy per provisioner (a scope and its template context) was machinery
        // allocated 4,800 times by a 1 MB template (docs/benchmarks.md 1b).
        var buildScopes = new Dictionary<string, BindingScope>(StringComparer.Ordinal);
        foreach (var name in renderFor)
        {
            buildScopes.TryAdd(name, scope.ForBuild(name));
        }

        var provisioners = provisionerNodes
            .Select((node, index) => (node, index))
            .Where(p => !filtered || AppliesToAny(p.node, selected))
            .Select(p => BindPerBuild(p.node, renderFor, buildScopes, (buildScope) => ProvisionerBinder.Bind(p.node, p.index, buildScope, builderNames)))
            .ToList();
        var postProcessors = postProcessorNodes
            .Where(node => !filtered || AppliesToAny(node, selected))
            .Select(node => BindPerBuild(node, renderFor, buildScopes, (buildScope) => PostProcessorBinder.Bind(node, buildScope, builderNames)))
            .ToList();
        // JSON: one for every build, only/except dropped as packer 1.6.6 does; HCL2: one per build block, its sources in only.
        var errorCleanups = errorCleanupNodes
            .Select(node => BindPerBuild(node, renderFor, buildScopes, (buildScope) =>
                ProvisionerBinder.Bind(node, Provisioner.ErrorCleanupIndex, buildScope, builderNames, ignoreOnlyExcept: !input.FromHcl2)))
            .ToList();
        var plans = new List<BuildPlan>();
        // Builders × provisioners can be 200 × 1,000: plain loops, no iterator per pair.
        var planProvisioners = new List<Provisioner>();
        var planPostProcessors = new List<ManifestPostProcessor>();
        foreach (var builder in builders)
        {
            if (!selected.Contains(builder.Name))
            {
                continue;
            }

            planProvisioners.Clear();
            foreach (var bound in provisioners)
            {
                if (bound(builder.Name) is { } provisioner && provisioner.AppliesTo(builder.Name))
                {
                    planProvisioners.Add(provisioner);
                }
            }

            planPostProcessors.Clear();
            foreach (var bound in postProcessors)
            {
                if (bound(builder.Name) is { } postProcessor && AppliesTo(postProcessor, builder.Name))
                {
                    planPostProcessors.Add(postProcessor);
                }
            }

            plans.Add(new BuildPlan
            {
                Builder = builder,
                Provisioners = [.. planProvisioners],
                PostProcessors = [.. planPostProcessors],
                ErrorCleanupProvisioner = errorCleanups.Select(bound => bound(builder.Name)).FirstOrDefault(p => p is not null && p.AppliesTo(builder.Name)),
            });
        }

        // Only now is every referenced path known, and with them the folder tree the upload covers.
        LinkCheck.Report(_references, input.Files, templateDir, _bag);

        var outline = new BuildFileOutline
        {
            Description = description,
            Variables = variables.Outline(sensitive.ToHashSet(StringComparer.Ordinal)),
            Builders = [.. builderNodes.Select(n => new KeyValuePair<string, string>(BuilderBinder.PeekName(n) ?? "?", BuilderBinder.PeekType(n) ?? "?"))],
            Provisioners = [.. provisionerNodes.Select(n => ProvisionerBinder.PeekType(n) ?? "?")],
            PostProcessors = [.. postProcessorNodes.Select(n => PostProcessorBinder.PeekType(n) ?? "?")],
        };

        var definition = new BuildDefinition
        {
            FilePath = input.Path,
            Description = description,
            Builds = plans,
            Variables = values.ToDictionary(p => p.Key, p => sensitive.Contains(p.Key) ? Redactor.Mask : p.Value, StringComparer.Ordinal),
            SensitiveVariables = sensitive,
            Timestamp = baseContext.Timestamp,
            RunUuid = Guid.NewGuid().ToString(),
        };
        return Finish(definition, outline, redactor);
    }

    /// <summary>The bound section for each build name (the same object for all when it does not mention build_name).</summary>
    private static Func<string, T?> BindPerBuild<T>(JsonNode node, IReadOnlyList<string> buildNames, Dictionary<string, BindingScope> buildScopes, Func<BindingScope, T?> bind)
        where T : class
    {
        // With one build there is nothing to tell apart: skip the walk of the whole section (every string of every
        // provisioner; 8 % of binding a 1 MB file, docs/benchmarks.md 1b).
        if (buildNames.Count == 1 || !MentionsBuildName(node))
        {
            var shared = bind(buildScopes[buildNames[0]]);
            return _ => shared;
        }

        var result = new Dictionary<string, T?>(StringComparer.Ordinal);
        foreach (var name in buildNames)
        {
            result[name] = bind(buildScopes[name]);
        }

        return name => result.GetValueOrDefault(name);
    }

    private static bool MentionsBuildName(JsonNode node)
    {
        const string BuildName = "build_name";
        switch (node)
        {
            case JsonStringNode text:
                return text.Contains(BuildName, "build_name"u8);
            case JsonArrayNode array:
                foreach (var item in array.Items)
                {
                    if (MentionsBuildName(item))
                    {
                        return true;
                    }
                }

                return false;
            case JsonObjectNode obj:
                foreach (var property in obj.Properties)
                {
                    if (property.Name.Contains(BuildName, StringComparison.Ordinal) || MentionsBuildName(property.Value))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static bool AppliesTo(ManifestPostProcessor postProcessor, string buildName) =>
        (postProcessor.Only.Count == 0 || postProcessor.Only.Contains(buildName)) && !postProcessor.Except.Contains(buildName);

    private List<string> BindSensitive(ObjectReader rootReader, VariableResolver variables)
    {
        var node = rootReader.Take("sensitive-variables");
        var names = node is null ? [] : rootReader.AsStringList(node) ?? [];
        // Packer accepts an undeclared name here (it may be given with -var); a warning catches a typo.
        foreach (var name in names.Where(n => !variables.IsDeclared(n)))
        {
            var suggestion = Suggestions.Closest(name, variables.Names);
            _bag.Warning(node!.Position, node.Path, $"sensitive variable \"{name}\" is not declared in variables" + (suggestion is null ? "" : $" (did you mean {suggestion}?)"));
        }

        return [.. names.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The <c>error-cleanup-provisioner</c>: in legacy JSON one provisioner object (packer 1.6.6 refuses a list:
    /// "expected a map"); the HCL2 engine writes a list, one entry per build block that has one.
    /// </summary>
    private IReadOnlyList<JsonNode> ErrorCleanupItems(ObjectReader rootReader, bool fromHcl2)
    {
        var section = rootReader.Take(ErrorCleanupProvisioner.Key);
        switch (section)
        {
            case null:
                return [];
            case JsonArrayNode array when fromHcl2:
                return array.Items;
            case JsonObjectNode:
                return [section];
            default:
                _bag.Error(section, ErrorCleanupProvisioner.NotAnObject(section.KindName));
                return [];
        }
    }

    private IReadOnlyList<JsonNode> SectionItems(ObjectReader rootReader, string key, bool required)
    {
        var section = rootReader.Take(key);
        if (section is null)
        {
            if (required)
            {
                _bag.Error(rootReader.Node.Position, key, $"{key} is required: a build file needs at least one builder");
            }

            return [];
        }

        if (section is not JsonArrayNode array)
        {
            _bag.Error(section, $"{key} must be an array, not {section.KindName}");
            return [];
        }

        if (required && array.Items.Length == 0)
        {
            _bag.Error(section, $"{key} is empty: a build file needs at least one builder");
        }

        return array.Items;
    }

    private List<AmazonEbsBuilder> BindBuilders(IReadOnlyList<JsonNode> nodes, BindingScope scope)
    {
        var builders = new List<AmazonEbsBuilder>();
        var seen = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var name = NameOf(node, scope);
            if (name is not null && !seen.TryAdd(name, node))
            {
                _bag.Error(node, $"builder name \"{name}\" is used by {seen[name].Path} too; give each builder a unique \"name\"");
            }

            if (BuilderBinder.Bind(node, scope.ForBuild(name ?? "")) is { } builder)
            {
                builders.Add(builder);
            }
        }

        return builders;
    }

    /// <summary>
    /// A builder's name as Packer knows it: rendered (<c>"name": "{{user `os`}}"</c> is the build <c>ubuntu-2204</c>, which
    /// <c>-only</c>, only/except and the output use). A name that does not render counts as written; the builder's own
    /// binding reports why.
    /// </summary>
    private static string? NameOf(JsonNode node, BindingScope scope)
    {
        var name = BuilderBinder.PeekName(node);
        if (name is null || !TemplateParser.ContainsActions(name))
        {
            return name;
        }

        try
        {
            return TemplateParser.Parse(name).Render(scope.Template);
        }
        catch (TemplateException)
        {
            return name;
        }
    }

    /// <summary>
    /// Applies <c>-only</c> / <c>-except</c> as Packer 1.6.6 does: both may be given (a builder must pass both), and a name
    /// that is no builder of this file selects nothing (Packer says nothing; Bakery warns, with a suggestion).
    /// </summary>
    private HashSet<string> Select(IReadOnlyList<string> names)
    {
        foreach (var (flag, list) in new[] { ("-only", input.Only), ("-except", input.Except) })
        {
            foreach (var name in list.Where(n => !names.Contains(n)))
            {
                _bag.WarningElsewhere(new Diagnostic(flag, 0, 0, "", $"no builder is named \"{name}\" (builders: {string.Join(", ", names)})",
                    Suggestions.Closest(name, names)));
            }
        }

        return names.Where(n => (input.Only.Count == 0 || input.Only.Contains(n)) && !input.Except.Contains(n)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Whether a provisioner or post-processor (by its only/except as written) runs in any selected build.</summary>
    private static bool AppliesToAny(JsonNode node, HashSet<string> selected)
    {
        if (node is not JsonObjectNode obj)
        {
            return true;
        }

        var only = Names(obj.Find("only")?.Value);
        var except = Names(obj.Find("except")?.Value);
        return selected.Any(name => (only is null || only.Contains(name)) && (except is null || !except.Contains(name)));

        static List<string>? Names(JsonNode? value) => value is JsonArrayNode { Items.Length: > 0 } array
            ? [.. array.Items.OfType<JsonStringNode>().Select(item => item.Value)]
            : null;
    }

    private BuildFileResult Finish(BuildDefinition? definition, BuildFileOutline? outline, Redactor redactor)
    {
        _ignored.Report(_bag);
        // Command-line problems first, then each var file in command-line order, then the build file, each file in line
        // order (binding visits sections out of order).
        var errors = _bag.Errors
            .OrderBy(FileRank)
            .ThenBy(d => d.Line)
            .ThenBy(d => d.Column)
            .Select(d => Redact(d, redactor))
            .ToList();
        return new BuildFileResult
        {
            Definition = errors.Count == 0 ? definition : null,
            Outline = outline,
            Errors = errors,
            Warnings = [.. _bag.Warnings.Select(d => Redact(d, redactor))],
            Redactor = redactor,
        };
    }

    private int FileRank(Diagnostic diagnostic)
    {
        if (diagnostic.Line == 0)
        {
            return 0;
        }

        if (diagnostic.File == input.Path)
        {
            return int.MaxValue;
        }

        for (var i = 0; i < input.VarFiles.Count; i++)
        {
            if (input.VarFiles[i].Path == diagnostic.File)
            {
                return i + 1;
            }
        }

        return int.MaxValue - 1;
    }

    private static Diagnostic Redact(Diagnostic diagnostic, Redactor redactor) =>
        redactor.IsEmpty ? diagnostic : diagnostic with { Message = redactor.Redact(diagnostic.Message) };
}
