using System.Text.Json;

namespace Bakery.BuildFiles;

/// <summary>What <c>data "amazon-secretsmanager"</c> gives from a secret's string, as the amazon plugin documents it.</summary>
public static class SecretValues
{
    /// <summary>
    /// Secrets Manager's <c>value</c>, as the plugin documents it: with <paramref name="key"/>, that field of the JSON
    /// secret; without, the first value of a JSON secret, or the whole secret when it is not a JSON object. Throws
    /// <see cref="InvalidOperationException"/> when the key is not there.
    /// </summary>
    public static string ValueOf(string secretString, string? key)
    {
        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(secretString);
        }
        catch (JsonException)
        {
            // A plain-text secret.
        }

        using (document)
        {
            if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return key is null ? secretString : throw new InvalidOperationException($"the secret is not a JSON object, so it has no key \"{key}\"; leave key out to read it whole");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (key is null || property.NameEquals(key))
                {
                    return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }

            return key is null ? "" : throw new InvalidOperationException($"the secret has no key \"{key}\"");
        }
    }

    /// <summary>The string values of a JSON secret's fields (each is masked, as a field read with jsondecode is a secret too).</summary>
    public static IEnumerable<string> FieldsOf(string secretString)
    {
        try
        {
            using var document = JsonDocument.Parse(secretString);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [];
            }

            return [.. document.RootElement.EnumerateObject()
                .Select(p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText())];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
