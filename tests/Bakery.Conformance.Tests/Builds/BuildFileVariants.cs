using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bakery.Conformance.Tests.Builds;

/// <summary>
/// The copies of a case's build file that both tools bake, written next to it (same folder, so <c>template_dir</c> and
/// relative paths mean the same). Both lose their provisioners (nothing runs on moto's instances). Packer's copy also
/// gets the settings that point it at moto, as issue 12 describes: <c>communicator: none</c>, <c>custom_endpoint_ec2</c>,
/// <c>skip_credential_validation</c>, <c>skip_region_validation</c> and test credentials; Bakery reaches moto through its
/// local stand-in, which the CLI starts.
/// </summary>
public static class BuildFileVariants
{
    public static string WriteForPacker(string folder, string file, Uri motoEndpoint) =>
        Write(folder, file, ".packer.json", builder =>
        {
            builder["communicator"] = "none";
            builder["custom_endpoint_ec2"] = motoEndpoint.GetLeftPart(UriPartial.Authority);
            builder["skip_credential_validation"] = true;
            builder["skip_region_validation"] = true;
            builder["access_key"] = "testing";
            builder["secret_key"] = "testing";
        });

    public static string WriteForBakery(string folder, string file) => Write(folder, file, ".for-bakery.json", _ => { });

    private static string Write(string folder, string file, string suffix, Action<JsonObject> adjustBuilder)
    {
        var document = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(folder, file)))!;
        document.Remove("provisioners");
        foreach (var builder in (document["builders"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)builder["type"] == "amazon-ebs")
            {
                adjustBuilder(builder);
            }
        }

        var variant = Path.ChangeExtension(file, null) + suffix;
        File.WriteAllText(Path.Combine(folder, variant), document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return variant;
    }
}
