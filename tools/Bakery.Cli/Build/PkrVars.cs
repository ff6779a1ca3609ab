using System.Text;
using System.Text.Json.Nodes;
using Bakery.Hcl;
using Bakery.Hcl.Evaluation;
using Bakery.Hcl.Syntax;

namespace Bakery.Cli.Build;

/// <summary>A <c>.pkrvars.hcl</c> var file as the JSON object of values the uploaded <c>NAME.vars.json</c> carries.</summary>
internal static class PkrVars
{
    /// <summary>Null when the file does not parse (validation has already reported it).</summary>
    public static JsonObject? ToJson(Bakery.BuildFiles.VarFile file)
    {
        try
        {
            var body = HclParser.ParseFile(file.Path, Encoding.UTF8.GetString(file.Content.Span));
            var context = new HclContext { Functions = new HclFunctions(new HclFunctionOptions { Now = DateTimeOffset.UtcNow }) };
            var values = body.Attributes.Select(a => new KeyValuePair<string, HclValue>(a.Name, HclEvaluator.Evaluate(a.Value, context)));
            return JsonNode.Parse(HclJson.Encode(HclValue.Object(values))) as JsonObject;
        }
        catch (HclException)
        {
            return null;
        }
    }
}
