using System.Text;
using Bakery.BuildFiles.Model;
using Bakery.Core.Manifests;

namespace Bakery.Core.Tests.Manifests;

public class PackerManifestWriterTests
{
    private const string RunUuid = "22222222-2222-2222-2222-222222222222";

    private static readonly ManifestArtifact Artifact = new()
    {
        BuildName = "amazon-ebs",
        FinishedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
        Amis = new Dictionary<string, string> { ["us-west-2"] = "ami-west", ["us-east-1"] = "ami-east" },
    };

    private static string Text(PackerManifest manifest) => Encoding.UTF8.GetString(PackerManifestWriter.Serialize(manifest));

    [Fact]
    public void Custom_data_keys_are_in_byte_order_and_build_time_data_is_rendered_for_the_build()
    {
        // Packer 1.6.6 (corpus manifest_custom, eks_worker): custom_data {"team", "release"} is written release-first, and
        // "{{ build `SourceAMIName` }}" is the source image's name.
        var settings = new ManifestPostProcessor
        {
            CustomData = new Dictionary<string, string> { ["team"] = "bakers", ["release"] = "2024.03", ["source_ami_name"] = "{{ build `SourceAMIName` }}" },
        };
        var build = new Bakery.Core.Bake.BakeState { BuildId = "b-1", SourceImageId = "ami-src", SourceImageName = "amzn2-ami-hvm-2.0" };

        var entry = PackerManifestWriter.CreateEntry(Artifact, ManifestCustomData.RenderedFor(settings, build), RunUuid);

        Assert.Equal(["release", "source_ami_name", "team"], entry.CustomData!.Keys);
        Assert.Equal("amzn2-ami-hvm-2.0", entry.CustomData["source_ami_name"]);
        Assert.Contains("\"custom_data\": {\n        \"release\": \"2024.03\",", Text(PackerManifestWriter.Append(null, [entry], RunUuid)), StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_Packers_exact_format()
    {
        var entry = PackerManifestWriter.CreateEntry(Artifact, new ManifestPostProcessor(), RunUuid);

        var text = Text(PackerManifestWriter.Append(null, [entry], RunUuid));

        Assert.Equal(
            """
            {
              "builds": [
                {
                  "name": "amazon-ebs",
                  "builder_type": "amazon-ebs",
                  "build_time": 1700000000,
                  "files": null,
                  "artifact_id": "us-east-1:ami-east,us-west-2:ami-west",
                  "packer_run_uuid": "22222222-2222-2222-2222-222222222222",
                  "custom_data": null
                }
              ],
              "last_run_uuid": "22222222-2222-2222-2222-222222222222"
            }
            """.ReplaceLineEndings("\n"),
            text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Appends_to_an_existing_manifest_and_moves_last_run_uuid()
    {
        var existing = PackerManifestWriter.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "resources", "manifests", "existing.json")));
        var entry = PackerManifestWriter.CreateEntry(Artifact, new ManifestPostProcessor(), RunUuid);

        var manifest = PackerManifestWriter.Append(existing, [entry], RunUuid);

        Assert.Equal(["old", "amazon-ebs"], manifest.Builds.Select(b => b.Name));
        Assert.Equal(1_600_000_000, manifest.Builds[0].BuildTime);
        Assert.Equal(RunUuid, manifest.LastRunUuid);
    }

    [Fact]
    public void Appending_the_same_run_twice_adds_the_build_once()
    {
        var entry = PackerManifestWriter.CreateEntry(Artifact, new ManifestPostProcessor(), RunUuid);
        var once = PackerManifestWriter.Append(null, [entry], RunUuid);

        var twice = PackerManifestWriter.Append(PackerManifestWriter.Parse(PackerManifestWriter.Serialize(once)), [entry], RunUuid);

        Assert.Single(twice.Builds);
    }

    [Fact]
    public void Strip_time_leaves_build_time_out_and_custom_data_is_kept()
    {
        var settings = new ManifestPostProcessor { StripTime = true, CustomData = new Dictionary<string, string> { ["team"] = "web" } };

        var text = Text(PackerManifestWriter.Append(null, [PackerManifestWriter.CreateEntry(Artifact, settings, RunUuid)], RunUuid));

        Assert.DoesNotContain("build_time", text, StringComparison.Ordinal);
        Assert.Contains("\"custom_data\": {\n        \"team\": \"web\"\n      }", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Strip_path_keeps_only_file_names()
    {
        var withFiles = Artifact with { Files = [new PackerManifestFile { Name = "output/disk/image.qcow2", Size = 10 }] };

        var stripped = PackerManifestWriter.CreateEntry(withFiles, new ManifestPostProcessor { StripPath = true }, RunUuid);
        var kept = PackerManifestWriter.CreateEntry(withFiles, new ManifestPostProcessor(), RunUuid);

        Assert.Equal("image.qcow2", Assert.Single(stripped.Files!).Name);
        Assert.Equal("output/disk/image.qcow2", Assert.Single(kept.Files!).Name);
    }

    [Fact]
    public void An_unreadable_manifest_is_refused_rather_than_overwritten()
    {
        Assert.Throws<InvalidDataException>(() => PackerManifestWriter.Parse("not json"u8));
        Assert.Null(PackerManifestWriter.Parse("  \n"u8));
    }

    [Fact]
    public async Task Appends_to_a_local_file_like_the_cli_does()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bakery-manifest-{Guid.NewGuid():N}", "packer-manifest.json");
        try
        {
            var entry = PackerManifestWriter.CreateEntry(Artifact, new ManifestPostProcessor(), RunUuid);
            await PackerManifestWriter.AppendToFileAsync(path, [entry], RunUuid, CancellationToken.None);
            await PackerManifestWriter.AppendToFileAsync(path, [entry with { Name = "second" }], RunUuid, CancellationToken.None);

            var manifest = PackerManifestWriter.Parse(await File.ReadAllBytesAsync(path));
            Assert.Equal(["amazon-ebs", "second"], manifest!.Builds.Select(b => b.Name));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
