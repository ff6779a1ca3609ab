using System.Text;
using Bakery.BuildFiles.Model;
using Bakery.BuildFiles.Tests.BuildFiles;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.BuildFiles.Tests.Hcl2;

/// <summary>
/// <c>.pkr.json</c>, HCL's JSON syntax (github.com/hashicorp/hcl/blob/main/json/spec.md): the same template as its
/// <c>.pkr.hcl</c> twin gives the same plans; problems are reported at the JSON place. Packer's verdicts on such files
/// are checked in the conformance suite (corpus-hcl2/pkr_json_*.pkr.json).
/// </summary>
public class Hcl2JsonSyntaxTests
{
    private const string Hcl = """
        variable "sizes" {
          type    = list(number)
          default = [8, 20]
        }
        locals {
          name = "web-${var.sizes[1]}"
        }
        source "amazon-ebs" "web" {
          region        = "us-east-1"
          source_ami    = "ami-12345678"
          instance_type = "t3.micro"
          ami_name      = "${local.name}-{{timestamp}}"
          tags          = { Name = local.name }
          launch_block_device_mappings {
            device_name = "/dev/xvda"
            volume_size = var.sizes[1]
          }
          dynamic "ami_block_device_mappings" {
            for_each = var.sizes
            content {
              device_name = "/dev/xvd${ami_block_device_mappings.key}"
              volume_size = ami_block_device_mappings.value
            }
          }
        }
        build {
          name    = "app"
          sources = ["source.amazon-ebs.web"]
          provisioner "shell" {
            inline = ["echo ${source.name}", "echo $${HOME}"]
          }
          provisioner "file" {
            source      = "${path.root}/setup.sh"
            destination = "/tmp/setup.sh"
          }
          post-processors {
            post-processor "manifest" {
              output = "m.json"
            }
          }
        }
        """;

    private const string Json = """
        {
          "//": "the .pkr.hcl twin above, in HCL's JSON syntax",
          "variable": { "sizes": { "type": "list(number)", "default": [8, 20] } },
          "locals": { "name": "web-${var.sizes[1]}" },
          "source": {
            "amazon-ebs": {
              "web": {
                "region": "us-east-1",
                "source_ami": "ami-12345678",
                "instance_type": "t3.micro",
                "ami_name": "${local.name}-{{timestamp}}",
                "tags": { "Name": "${local.name}" },
                "launch_block_device_mappings": { "device_name": "/dev/xvda", "volume_size": "${var.sizes[1]}" },
                "dynamic": {
                  "ami_block_device_mappings": {
                    "for_each": "${var.sizes}",
                    "content": { "device_name": "/dev/xvd${ami_block_device_mappings.key}", "volume_size": "${ami_block_device_mappings.value}" }
                  }
                }
              }
            }
          },
          "build": {
            "name": "app",
            "sources": ["source.amazon-ebs.web"],
            "provisioner": [
              { "shell": { "inline": ["echo ${source.name}", "echo $${HOME}"] } },
              { "file": { "source": "${path.root}/setup.sh", "destination": "/tmp/setup.sh" } }
            ],
            "post-processors": [{ "post-processor": { "manifest": { "output": "m.json" } } }]
          }
        }
        """;

    private static BuildFileResult Load(string path, string content) =>
        new BuildFileLoader(new FakeTimeProvider(BuildFileTestKit.Now)).Load(new BuildFileInput
        {
            Path = path,
            Content = Encoding.UTF8.GetBytes(content),
            Files = new InMemoryBundleFiles("builds/web/setup.sh"),
            Pwd = "/work",
        });

    [Fact]
    public void A_pkr_json_template_gives_the_plans_of_its_pkr_hcl_twin()
    {
        var fromHcl = Assert.Single(BuildFileTestKit.AssertValid(Load("builds/web/build.pkr.hcl", Hcl)).Definition!.Builds);
        var fromJson = Assert.Single(BuildFileTestKit.AssertValid(Load("builds/web/build.pkr.json", Json)).Definition!.Builds);

        Assert.Equal("app.amazon-ebs.web", fromJson.Builder.Name);
        Assert.Equal(fromHcl.Builder.Name, fromJson.Builder.Name);
        Assert.Equal(fromHcl.Builder.AmiName, fromJson.Builder.AmiName);
        Assert.Equal("web-20-1714979289", fromJson.Builder.AmiName);
        Assert.Equal(fromHcl.Builder.Tags, fromJson.Builder.Tags);
        Assert.Equal(["/dev/xvda"], fromJson.Builder.LaunchBlockDeviceMappings.Select(m => m.DeviceName));
        Assert.Equal(fromHcl.Builder.AmiBlockDeviceMappings.Select(m => (m.DeviceName, m.VolumeSize)), fromJson.Builder.AmiBlockDeviceMappings.Select(m => (m.DeviceName, m.VolumeSize)));
        Assert.Equal(2, fromJson.Builder.AmiBlockDeviceMappings.Count);
        var shell = Assert.IsType<ShellProvisioner>(fromJson.Provisioners[0]);
        Assert.Equal(["echo web", "echo ${HOME}"], shell.Inline);
        Assert.Equal(Assert.IsType<ShellProvisioner>(fromHcl.Provisioners[0]).Inline, shell.Inline);
        Assert.Equal("builds/web/setup.sh", Assert.Single(Assert.IsType<FileProvisioner>(fromJson.Provisioners[1]).Sources).BundlePath);
        Assert.Equal("m.json", Assert.Single(fromJson.PostProcessors).Output);
    }

    [Fact]
    public void An_unknown_attribute_is_reported_at_its_json_line_with_a_suggestion()
    {
        var result = Load("builds/web/build.pkr.json", Json.Replace("\"instance_type\"", "\"instance_typo\"", StringComparison.Ordinal));

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors, e => e.Message.Contains("instance_typo", StringComparison.Ordinal));
        Assert.Equal(("builds/web/build.pkr.json", 10), (error.File, error.Line));
        Assert.Contains("instance_type", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"build\": { \"sources\": [\"a\",] } }", 1, "invalid JSON")]
    [InlineData("[1]", 1, "one JSON object")]
    [InlineData("{\n  \"build\": \"x\"\n}", 2, "\"build\" is a block")]
    [InlineData("{\n  \"source\": { \"amazon-ebs\": { \"web\": { \"source_ami_filter\": \"x\" } } }\n}", 2, "\"source_ami_filter\" is a block")]
    [InlineData("{\n  \"variable\": { \"x\": { \"type\": \"list(\" } }\n}", 2, "in the string \"list(\"")]
    public void Bad_json_syntax_is_reported_at_its_place(string json, int line, string fragment)
    {
        var result = Load("t.pkr.json", json);

        Assert.False(result.IsValid);
        var error = result.Errors[0];
        Assert.Equal(("t.pkr.json", line), (error.File, error.Line));
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }
}
