using System.Text;
using Bakery.Testing;
using CsCheck;
using static Bakery.BuildFiles.Tests.BuildFiles.BuildFileTestKit;

namespace Bakery.BuildFiles.Tests.BuildFiles;

/// <summary>Random mutations of valid build files only ever produce diagnostics: never an exception, never a half-valid result.</summary>
public class MutationFuzzTests
{
    private static readonly byte[][] Seeds =
    [
        File.ReadAllBytes(RepositoryPaths.Combine("examples", "nginx", "my_test_build.json")),
        Encoding.UTF8.GetBytes(WithBuilder(
            "\"name\": \"web\", \"tags\": {\"Name\": \"{{user `name` | lower}}\"}, \"source_ami_filter\": {\"filters\": {\"name\": \"x\"}, \"owners\": [\"self\"]}, "
            + "\"launch_block_device_mappings\": [{\"device_name\": \"/dev/sda1\", \"volume_size\": 8}], \"metadata_options\": {\"http_tokens\": \"required\"}",
            "\"variables\": {\"name\": \"Web\", \"secret\": null}, \"sensitive-variables\": [\"secret\"], "
            + "\"provisioners\": [{\"type\": \"shell\", \"inline\": [\"echo {{build_name}}\"], \"environment_vars\": [\"A=1\"], \"pause_before\": \"1s\"}, "
            + "{\"type\": \"file\", \"source\": \"setup.sh\", \"destination\": \"/tmp/x\"}, {\"type\": \"powershell\", \"script\": \"setup.sh\"}], "
            + "\"post-processors\": [[\"manifest\", {\"type\": \"manifest\", \"custom_data\": {\"a\": \"{{timestamp}}\"}}]]")),
    ];

    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "{{", "}}", "`", "|", "(", ")", "null", "true", "1e999", "-0", "\"type\"", "\"shell\"",
        "{{user `x`}}", "{{ .SourceAMI }}", "{{env `HOME`}}", "{{timestamp", "{{ replace \"a\" \"b\" 1 }}", "\u00e9", "\ud83c\udf5e", "//", "/*", "\t", "\n",
        "\"_comment\": 1,", "\"ssh_username\": \"u\",", "../../", "{{template_dir}}/../", "\"only\": [\"zz\"],",
    ];

    [Fact]
    public void Random_mutations_never_throw() =>
        Gen.Select(Gen.Int[0, Seeds.Length - 1], Gen.Int[0, int.MaxValue].Array[1, 24])
            .Sample(sample =>
            {
                var mutated = Mutate(Seeds[sample.Item1], sample.Item2);
                var result = Load(Encoding.UTF8.GetString(mutated), vars: [new("secret", "s3cr3t")]);
                Assert.Equal(result.Errors.Count == 0, result.IsValid);
                Assert.Equal(result.IsValid, result.Definition is not null);
                Assert.All(result.Errors, e => Assert.DoesNotContain("s3cr3t", e.ToString(), StringComparison.Ordinal));
            }, iter: 1500);

    [Fact]
    public void Random_bytes_never_throw() =>
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            var result = new Bakery.BuildFiles.BuildFileLoader(TimeProvider.System).Load(new Bakery.BuildFiles.BuildFileInput
            {
                Path = "x.json",
                Content = bytes,
                Files = new InMemoryBundleFiles(),
            });
            Assert.False(result.IsValid);
            Assert.NotEmpty(result.Errors);
        }, iter: 1000);

    private static byte[] Mutate(byte[] seed, int[] choices)
    {
        var bytes = new List<byte>(seed);
        for (var i = 0; i + 2 < choices.Length; i += 3)
        {
            var position = choices[i + 1] % (bytes.Count + 1);
            var length = Math.Min(1 + (choices[i + 2] % 12), bytes.Count - position);
            switch (choices[i] % 5)
            {
                case 0 when length > 0:
                    bytes.RemoveRange(position, length);
                    break;
                case 1:
                    bytes.InsertRange(position, Encoding.UTF8.GetBytes(Tokens[choices[i + 2] % Tokens.Length]));
                    break;
                case 2 when length > 0:
                    bytes.InsertRange(position, bytes.GetRange(position, length));
                    break;
                case 3:
                    bytes.RemoveRange(position, bytes.Count - position);
                    break;
                default:
                    if (position < bytes.Count)
                    {
                        bytes[position] = (byte)choices[i + 2];
                    }

                    break;
            }
        }

        return [.. bytes];
    }
}
