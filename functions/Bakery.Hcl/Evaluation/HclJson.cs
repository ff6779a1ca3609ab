using System.Text;
using System.Text.Json;

namespace Bakery.Hcl.Evaluation;

/// <summary><c>jsonencode</c>/<c>jsondecode</c> over <see cref="HclValue"/>s, with the reader and writer of System.Text.Json (no reflection).</summary>
public static class HclJson
{
    public static string Encode(HclValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, value);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, HclValue value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        switch (value.Kind)
        {
            case HclValueKind.Null:
                writer.WriteNullValue();
                break;
            case HclValueKind.Bool:
                writer.WriteBooleanValue(value.AsBool);
                break;
            case HclValueKind.Number:
                var number = value.AsNumber;
                if (number == Math.Floor(number) && Math.Abs(number) < 1e15)
                {
                    writer.WriteNumberValue((long)number);
                }
                else
                {
                    writer.WriteNumberValue(number);
                }

                break;
            case HclValueKind.String:
                writer.WriteStringValue(value.AsString);
                break;
            case HclValueKind.List:
                writer.WriteStartArray();
                foreach (var item in value.Items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStartObject();
                foreach (var (key, field) in value.Fields)
                {
                    writer.WritePropertyName(key);
                    Write(writer, field);
                }

                writer.WriteEndObject();
                break;
        }
    }

    public static HclValue Decode(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return FromElement(document.RootElement);
        }
        catch (JsonException exception)
        {
            throw new HclFunctionException($"invalid JSON: {exception.Message}");
        }
    }

    public static HclValue FromElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => HclValue.Null,
        JsonValueKind.True => HclValue.True,
        JsonValueKind.False => HclValue.False,
        JsonValueKind.Number => HclValue.Number(element.GetDouble()),
        JsonValueKind.String => HclValue.String(element.GetString()!),
        JsonValueKind.Array => HclValue.List(element.EnumerateArray().Select(FromElement).ToList()),
        _ => HclValue.Object(element.EnumerateObject().Select(p => new KeyValuePair<string, HclValue>(p.Name, FromElement(p.Value))).ToList()),
    };
}
