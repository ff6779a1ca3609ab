using System.Text;
using System.Text.Json;
using Bakery.Hcl;
using Bakery.Hcl.Syntax;

namespace Bakery.BuildFiles.Internal.Hcl2;

/// <summary>
/// HCL's JSON syntax (<c>.pkr.json</c>, github.com/hashicorp/hcl/blob/main/json/spec.md) read into the same
/// <see cref="HclBody"/> the native syntax gives. JSON cannot say what is a block, so the schema decides, as it does in
/// Packer: a property named like a block of Packer's template (<see cref="BlockLabels"/>) is a block, its labels the
/// nested object keys, an array meaning several blocks; everything else is an attribute. Strings are templates
/// (<c>${ }</c>, <c>%{ }</c>), except a variable's <c>type</c>, which is an expression written in a string, as in HCL;
/// a <c>"//"</c> property is a comment.
/// </summary>
internal sealed class HclJsonSyntax
{
    private const string Marker = "EOT_BAKERY_PKR_JSON";

    private readonly string _file;
    private readonly byte[] _bytes;
    private readonly List<int> _lineStarts = [0];

    private HclJsonSyntax(string file, byte[] bytes)
    {
        _file = file;
        _bytes = bytes;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>Reads a <c>.pkr.json</c> file; throws <see cref="HclException"/> at the place of the first problem.</summary>
    public static HclBody ParseFile(string file, ReadOnlySpan<byte> content)
    {
        var bytes = content.StartsWith("\uFEFF"u8) ? content[3..].ToArray() : content.ToArray();
        var syntax = new HclJsonSyntax(file, bytes);
        var root = syntax.ReadDocument();
        if (root.Kind != JsonValueKind.Object)
        {
            throw new HclException(root.Position, "a .pkr.json template is one JSON object of blocks (variable, locals, source, build, ...)");
        }

        return syntax.Body(root, Context.TopLevel);
    }

    // ---- which properties are blocks ------------------------------------------------------------------------------

    /// <summary>Where a body is: what its blocks are depends on it.</summary>
    private enum Context
    {
        TopLevel,
        Packer,
        Variable,
        Build,
        PostProcessors,
        Source,
        Dynamic,
        Other,
    }

    /// <summary>The blocks a body may hold: name → (number of labels, the body's own context).</summary>
    private static readonly Dictionary<Context, Dictionary<string, (int Labels, Context Inner)>> BlockLabels = new()
    {
        [Context.TopLevel] = new(StringComparer.Ordinal)
        {
            ["packer"] = (0, Context.Packer),
            ["variable"] = (1, Context.Variable),
            ["variables"] = (0, Context.Other),
            ["locals"] = (0, Context.Other),
            ["local"] = (1, Context.Other),
            ["source"] = (2, Context.Source),
            ["data"] = (2, Context.Other),
            ["build"] = (0, Context.Build),
        },
        [Context.Packer] = new(StringComparer.Ordinal) { ["required_plugins"] = (0, Context.Other) },
        [Context.Variable] = new(StringComparer.Ordinal) { ["validation"] = (0, Context.Other) },
        [Context.Build] = new(StringComparer.Ordinal)
        {
            ["source"] = (1, Context.Source),
            ["provisioner"] = (1, Context.Other),
            ["error-cleanup-provisioner"] = (1, Context.Other),
            ["post-processor"] = (1, Context.Other),
            ["post-processors"] = (0, Context.PostProcessors),
        },
        [Context.PostProcessors] = new(StringComparer.Ordinal) { ["post-processor"] = (1, Context.Other) },
        // amazon-ebs's nested blocks (Packer's HCL2 spec of the builder); maps such as tags stay attributes.
        [Context.Source] = new(StringComparer.Ordinal)
        {
            ["source_ami_filter"] = (0, Context.Other),
            ["metadata_options"] = (0, Context.Other),
            ["aws_polling"] = (0, Context.Other),
            ["vpc_filter"] = (0, Context.Other),
            ["subnet_filter"] = (0, Context.Other),
            ["security_group_filter"] = (0, Context.Other),
            ["assume_role"] = (0, Context.Other),
            ["placement"] = (0, Context.Other),
            ["vault_aws_engine"] = (0, Context.Other),
            ["launch_block_device_mappings"] = (0, Context.Other),
            ["ami_block_device_mappings"] = (0, Context.Other),
            ["tag"] = (0, Context.Other),
            ["run_tag"] = (0, Context.Other),
            ["run_volume_tag"] = (0, Context.Other),
            ["snapshot_tag"] = (0, Context.Other),
            ["spot_tag"] = (0, Context.Other),
            ["fleet_tag"] = (0, Context.Other),
            ["dynamic"] = (1, Context.Dynamic),
        },
        [Context.Dynamic] = new(StringComparer.Ordinal) { ["content"] = (0, Context.Source) },
        [Context.Other] = new(StringComparer.Ordinal),
    };

    // ---- JSON values with places ----------------------------------------------------------------------------------

    private sealed record Node(JsonValueKind Kind, HclPosition Position)
    {
        public string Text { get; init; } = "";

        public List<(string Name, Node Value, HclPosition Position)> Properties { get; } = [];

        public List<Node> Items { get; } = [];
    }

    private Node ReadDocument()
    {
        var reader = new Utf8JsonReader(_bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read())
            {
                throw new HclException(new HclPosition(_file, 1, 1), "the file is empty: a .pkr.json template is one JSON object");
            }

            var node = ReadValue(ref reader);
            if (reader.Read())
            {
                throw new HclException(Place(reader.TokenStartIndex), "unexpected text after the template's JSON object");
            }

            return node;
        }
        catch (JsonException exception)
        {
            var line = (int)(exception.LineNumber ?? 0) + 1;
            var column = (int)(exception.BytePositionInLine ?? 0) + 1;
            throw new HclException(new HclPosition(_file, line, column), "invalid JSON: " + exception.Message.Split(" LineNumber:", 2)[0]);
        }
    }

    private Node ReadValue(ref Utf8JsonReader reader)
    {
        var position = Place(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var node = new Node(JsonValueKind.Object, position);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var namePosition = Place(reader.TokenStartIndex);
                    var name = reader.GetString()!;
                    reader.Read();
                    node.Properties.Add((name, ReadValue(ref reader), namePosition));
                }

                return node;
            case JsonTokenType.StartArray:
                var array = new Node(JsonValueKind.Array, position);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Items.Add(ReadValue(ref reader));
                }

                return array;
            case JsonTokenType.String:
                return new Node(JsonValueKind.String, position) { Text = reader.GetString()! };
            case JsonTokenType.Number:
                return new Node(JsonValueKind.Number, position) { Text = Encoding.UTF8.GetString(reader.ValueSpan) };
            case JsonTokenType.True:
                return new Node(JsonValueKind.True, position);
            case JsonTokenType.False:
                return new Node(JsonValueKind.False, position);
            default:
                return new Node(JsonValueKind.Null, position);
        }
    }

    private HclPosition Place(long offset)
    {
        var line = _lineStarts.BinarySearch((int)offset);
        line = line >= 0 ? line : ~line - 1;
        var column = Encoding.UTF8.GetCharCount(_bytes, _lineStarts[line], (int)offset - _lineStarts[line]) + 1;
        return new HclPosition(_file, line + 1, column);
    }

    // ---- bodies and blocks ----------------------------------------------------------------------------------------

    private HclBody Body(Node node, Context context)
    {
        if (node.Kind != JsonValueKind.Object)
        {
            throw new HclException(node.Position, "a block's body is a JSON object");
        }

        var attributes = new List<HclAttribute>();
        var blocks = new List<HclBlock>();
        var schema = BlockLabels[context];
        foreach (var (name, value, position) in node.Properties)
        {
            if (name == "//")
            {
                continue;
            }

            if (schema.TryGetValue(name, out var block))
            {
                AddBlocks(blocks, name, [], value, block.Labels, block.Inner, position);
            }
            else if (context == Context.Variable && name == "type" && value.Kind == JsonValueKind.String)
            {
                attributes.Add(new HclAttribute(name, Parsed(value, () => HclParser.ParseExpression(_file, value.Text)), position));
            }
            else
            {
                attributes.Add(new HclAttribute(name, Expression(value), position));
            }
        }

        return new HclBody(attributes, blocks, node.Position);
    }

    /// <summary>A block's value: labels as nested object keys, an array anywhere meaning several blocks.</summary>
    private void AddBlocks(List<HclBlock> blocks, string type, List<string> labels, Node value, int labelsLeft, Context inner, HclPosition position)
    {
        if (value.Kind == JsonValueKind.Array)
        {
            foreach (var item in value.Items)
            {
                AddBlocks(blocks, type, labels, item, labelsLeft, inner, position);
            }

            return;
        }

        if (value.Kind != JsonValueKind.Object)
        {
            throw new HclException(value.Position, $"\"{type}\" is a block: its value is a JSON object" + (labelsLeft > 0 ? $" keyed by its {(labelsLeft == 1 ? "label" : "labels")}" : ""));
        }

        if (labelsLeft == 0)
        {
            blocks.Add(new HclBlock(type, [.. labels], Body(value, inner), position));
            return;
        }

        foreach (var (label, body, labelPosition) in value.Properties.Where(p => p.Name != "//"))
        {
            AddBlocks(blocks, type, [.. labels, label], body, labelsLeft - 1, inner, labelsLeft == 1 ? labelPosition : position);
        }
    }

    // ---- expressions ----------------------------------------------------------------------------------------------

    private HclExpression Expression(Node node) => node.Kind switch
    {
        JsonValueKind.String => Template(node),
        JsonValueKind.Number => new HclLiteral(HclValue.Number(double.Parse(node.Text, System.Globalization.CultureInfo.InvariantCulture)), node.Position),
        JsonValueKind.True => new HclLiteral(HclValue.Bool(true), node.Position),
        JsonValueKind.False => new HclLiteral(HclValue.Bool(false), node.Position),
        JsonValueKind.Array => new HclTuple([.. node.Items.Select(Expression)], node.Position),
        JsonValueKind.Object => new HclObject(
            [.. node.Properties.Where(p => p.Name != "//").Select(p => new KeyValuePair<HclExpression, HclExpression>(
                Template(new Node(JsonValueKind.String, p.Position) { Text = p.Name }), Expression(p.Value)))],
            node.Position),
        _ => new HclLiteral(HclValue.Null, node.Position),
    };

    /// <summary>A JSON string is a template: parsed as a heredoc body (no backslash escapes at this level, as in HCL's JSON syntax).</summary>
    private HclExpression Template(Node node)
    {
        if (!node.Text.Contains("${", StringComparison.Ordinal) && !node.Text.Contains("%{", StringComparison.Ordinal))
        {
            return new HclTemplate([new HclTemplateText(node.Text)], node.Position);
        }

        var heredoc = (HclTemplate)Parsed(node, () => HclParser.ParseExpression(_file, $"<<{Marker}\n{node.Text}\n{Marker}\n"));
        var parts = heredoc.Parts.ToList();
        if (parts is [.., HclTemplateText last] && last.Text.EndsWith('\n'))
        {
            parts[^1] = new HclTemplateText(last.Text[..^1]);
            if (parts[^1] is HclTemplateText { Text.Length: 0 })
            {
                parts.RemoveAt(parts.Count - 1);
            }
        }

        return new HclTemplate(parts, node.Position);
    }

    /// <summary>Parse errors inside a string are reported at the string.</summary>
    private static HclExpression Parsed(Node node, Func<HclExpression> parse)
    {
        try
        {
            return parse();
        }
        catch (HclException exception)
        {
            throw new HclException(node.Position, $"in the string \"{node.Text}\": {exception.Detail}", exception.Suggestion);
        }
    }
}
