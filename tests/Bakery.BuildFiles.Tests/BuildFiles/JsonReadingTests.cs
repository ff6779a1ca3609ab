using System.Text;
using Bakery.BuildFiles.Internal;
using static Bakery.BuildFiles.Tests.BuildFiles.BuildFileTestKit;

namespace Bakery.BuildFiles.Tests.BuildFiles;

public class JsonReadingTests
{
    private static (JsonNode? Root, DiagnosticBag Bag) Read(string json)
    {
        var bag = new DiagnosticBag("f.json");
        return (JsonTreeReader.Read(Encoding.UTF8.GetBytes(json), bag), bag);
    }

    [Fact]
    public void Nodes_know_their_line_column_and_path()
    {
        var (root, bag) = Read("{\n  \"builders\": [\n    {\"type\": \"amazon-ebs\"}\n  ]\n}");
        Assert.Empty(bag.Errors);
        var type = ((JsonObjectNode)((JsonArrayNode)((JsonObjectNode)root!).Find("builders")!.Value).Items[0]).Find("type")!;
        Assert.Equal(new SourcePosition(3, 6), type.NamePosition);
        Assert.Equal(new SourcePosition(3, 14), type.Value.Position);
        Assert.Equal("builders[0].type", type.Value.Path);
    }

    [Fact]
    public void Columns_count_characters_not_bytes()
    {
        var (root, _) = Read("{\"d\": \"été\", \"x\": 1}");
        Assert.Equal(new SourcePosition(1, 19), ((JsonObjectNode)root!).Find("x")!.Value.Position);
    }

    [Fact]
    public void A_byte_order_mark_is_tolerated()
    {
        var bag = new DiagnosticBag("f.json");
        var root = JsonTreeReader.Read((byte[])[0xEF, 0xBB, 0xBF, .. "{\"a\": 1}"u8], bag);
        Assert.Empty(bag.Errors);
        Assert.Equal(new SourcePosition(1, 2), ((JsonObjectNode)root!).Find("a")!.NamePosition);
    }

    [Fact]
    public void Escaped_strings_map_offsets_back_to_the_written_column()
    {
        var (root, _) = Read("{\"a\": \"\\t\\u0041{{x\"}");
        var node = (JsonStringNode)((JsonObjectNode)root!).Find("a")!.Value;
        Assert.Equal("\tA{{x", node.Value);
        // offset 2 is "{" which is written at column 7 (quote) + 1 + 2 ("\t") + 6 ("\u0041") = 16
        Assert.Equal(16, node.PositionOf(2).Column);
    }

    [Fact]
    public void Ten_thousand_levels_of_nesting_are_a_diagnostic_not_a_crash()
    {
        var (root, bag) = Read(new string('[', 10_000) + new string(']', 10_000));
        Assert.Null(root);
        Assert.Contains("nested deeper than", Assert.Single(bag.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Numbers_keep_their_written_text()
    {
        var (root, _) = Read("{\"n\": 1.50}");
        Assert.Equal("1.50", ((JsonScalarNode)((JsonObjectNode)root!).Find("n")!.Value).Text);
    }

    [Fact]
    public void Json_paths_quote_unusual_keys()
    {
        Assert.Equal("tags[\"my key\"]", JsonPaths.Property("tags", "my key"));
        Assert.Equal("post-processors[1]", JsonPaths.Index("post-processors", 1));
    }

    [Fact]
    public void Underscore_keys_are_ignored_at_the_root_and_in_sections_but_not_in_tags()
    {
        var result = Load(WithBuilder("\"_comment\": \"x\", \"tags\": {\"_note\": \"kept\"}",
            "\"_comment\": \"top\", \"provisioners\": [{\"type\": \"shell\", \"_why\": 1, \"inline\": [\"true\"]}]"));
        AssertValid(result);
        Assert.Equal("kept", result.Definition!.Builds[0].Builder.Tags["_note"]);
    }

    [Fact]
    public void Every_error_of_a_file_is_reported_at_once()
    {
        var result = Load("""
            {"builders": [{"type": "amazon-ebs", "region": "us-east-1", "instance_typ": "t3.micro", "ami_name": "x"}],
             "provisioners": [{"type": "shell"}, {"type": "file", "direction": "sideways", "destination": "/x", "source": "setup.sh"}]}
            """);
        Assert.True(result.Errors.Count >= 5, string.Join("\n", result.Errors));
        Assert.Contains(result.Errors, e => e.JsonPath == "builders[0].instance_typ");
        Assert.Contains(result.Errors, e => e.JsonPath == "provisioners[1].direction");
        Assert.Contains(result.Errors, e => e.JsonPath == "builders[0].ami_name");
    }

    [Fact]
    public void Description_and_min_packer_version_are_accepted()
    {
        var result = AssertValid(Load(WithBuilder(rest: "\"description\": \"web image\", \"min_packer_version\": \"1.5.0\"")));
        Assert.Equal("web image", result.Definition!.Description);
    }

    [Fact]
    public void Diagnostic_formats_as_file_line_column_path_message_suggestion()
    {
        var diagnostic = new Bakery.BuildFiles.Diagnostic("b.json", 3, 7, "builders[0].instance_typ", "unknown key \"instance_typ\"", "instance_type");
        Assert.Equal("b.json:3:7: builders[0].instance_typ: unknown key \"instance_typ\" (did you mean instance_type?)", diagnostic.ToString());
        Assert.Equal("-var: boom", new Bakery.BuildFiles.Diagnostic("-var", 0, 0, "", "boom", null).ToString());
    }
}
