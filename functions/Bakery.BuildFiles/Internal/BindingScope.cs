using System.Buffers;
using Bakery.BuildFiles.Templates;
using Bakery.BuildFiles.Templates.Internal;

namespace Bakery.BuildFiles.Internal;

/// <summary>
/// What binding one section needs: where problems go, how strings render, where files are looked up, and where the
/// files found are noted (shared by every copy of the scope).
/// </summary>
internal sealed record BindingScope(
    DiagnosticBag Bag,
    TemplateContext Template,
    IBundleFiles Files,
    string TemplateDir,
    IgnoredKeys Ignored,
    FileReferenceLog References)
{
    /// <summary>Parsed actions shared by every copy of this scope (one load).</summary>
    public ActionCache Actions { get; init; } = new();

    /// <summary>Where relative paths start (see <see cref="BuildFileInput.WorkingFolder"/>); null: <see cref="TemplateDir"/>.</summary>
    public string? WorkingFolder { get; init; }

    /// <summary>HCL2's typing: a string where a list belongs is an error, not split at commas as JSON's weak typing does.</summary>
    public bool StrictLists { get; init; }

    /// <summary>A required variable is unset (already reported): a required field that renders "" because of it is not reported again.</summary>
    public bool VariablesIncomplete { get; init; }

    /// <summary>Unknown names <c>{{user}}</c> asked for (shared by every copy of this scope): each gets one warning.</summary>
    public UndefinedVariables Undefined { get; init; } = new();

    /// <summary>Renders a string as a template (build-time data stays as template text); null after reporting a problem.</summary>
    public string? Render(JsonStringNode node) => Render(node, Template);

    public string? Render(JsonStringNode node, TemplateContext context)
    {
        if (!node.ContainsActions)
        {
            return node.Value;
        }

        // Rendered straight from the file's characters: the template text itself is never needed as a string.
        var text = node.GetChars(out var rented);
        var undefinedBefore = Undefined.Count;
        try
        {
            return Actions.Render(text, context);
        }
        catch (TemplateException exception)
        {
            Bag.Error(node.PositionOf(exception.Offset), node.Path, exception.Message);
            return null;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }

            if (Undefined.Count != undefinedBefore)
            {
                foreach (var name in Undefined.Since(undefinedBefore))
                {
                    Bag.Warning(node.Position, node.Path, UndefinedVariables.Message(name));
                }
            }
        }
    }

    public BindingScope ForBuild(string buildName) => this with { Template = CopyWithBuildName(Template, buildName) };

    private static TemplateContext CopyWithBuildName(TemplateContext context, string buildName) => new()
    {
        UserVariable = context.UserVariable,
        InHcl2 = context.InHcl2,
        Environment = context.Environment,
        BuildName = buildName,
        BuildType = context.BuildType,
        TemplateDir = context.TemplateDir,
        Pwd = context.Pwd,
        PackerVersion = context.PackerVersion,
        Timestamp = context.Timestamp,
        Now = context.Now,
        NewUuid = context.NewUuid,
        Data = context.Data,
        Build = context.Build,
        DeferBuildTimeData = context.DeferBuildTimeData,
    };
}
