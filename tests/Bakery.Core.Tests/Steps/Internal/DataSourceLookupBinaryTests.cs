using System.Text;
using Bakery.BuildFiles;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Tests.Steps.Internal;

/// <summary>
/// <c>secret_binary</c> of <c>data "amazon-secretsmanager"</c> as the amazon plugin gives it: the secret's decoded bytes as a
/// string, not base64 (hashicorp/packer-plugin-amazon <c>datasource/secretsmanager/data.go</c>: <c>string(secret.SecretBinary)</c>;
/// Packer 1.6.6 predates data sources, so this follows the plugin's code, not a run of it).
/// </summary>
public class DataSourceLookupBinaryTests
{
    private static readonly DataSourceRequest Request = new() { Type = DataSourceRequest.SecretsManager, Label = "cert", Place = "b.pkr.hcl:1:1", Name = "bakery/cert" };

    [Fact]
    public void A_binary_secret_is_its_bytes_as_text_not_base64()
    {
        var bytes = Encoding.UTF8.GetBytes("-----BEGIN CERTIFICATE-----\nMIIB é\n");

        Assert.Equal("-----BEGIN CERTIFICATE-----\nMIIB é\n", DataSourceLookup.BinaryText("b.pkr.hcl", Request, bytes));
    }

    [Fact]
    public void No_binary_is_empty()
    {
        Assert.Equal("", DataSourceLookup.BinaryText("b.pkr.hcl", Request, null));
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused_with_the_way_round_not_changed()
    {
        var error = Assert.Throws<BuildFileInvalid>(() => DataSourceLookup.BinaryText("b.pkr.hcl", Request, [0x00, 0x01, 0xFF, 0xFE]));

        Assert.Contains("data.amazon-secretsmanager.cert", error.Message, StringComparison.Ordinal);
        Assert.Contains("base64decode", error.Message, StringComparison.Ordinal);
    }
}
