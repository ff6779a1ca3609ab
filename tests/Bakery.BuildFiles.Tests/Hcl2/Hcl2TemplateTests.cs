using Bakery.BuildFiles.Model;

using static Bakery.BuildFiles.Tests.Hcl2.Hcl2TestKit;

namespace Bakery.BuildFiles.Tests.Hcl2;

/// <summary>HCL2 templates resolve into the same build model as JSON ones (Packer's HCL2 docs: templates/hcl_templates).</summary>
public class Hcl2TemplateTests
{
    [Fact]
    public void A_source_and_a_build_become_one_plan_named_type_dot_name()
    {
        var result = BuildFiles.BuildFileTestKit.AssertValid(Load(Source + """
            build {
              sources = ["source.amazon-ebs.web"]
              provisioner "shell" {
                inline       = ["echo ${source.name} ${build.SourceAMI}"]
                pause_before = "5s"
                max_retries  = 2
                timeout      = "10m"
              }
              post-processor "manifest" {
                output     = "manifest.json"
                strip_path = true
              }
            }
            """));
        var plan = Assert.Single(result.Definition!.Builds);
        Assert.Equal("amazon-ebs.web", plan.Builder.Name);
        Assert.Equal("web-1714979289", plan.Builder.AmiName);
        var shell = Assert.IsType<ShellProvisioner>(Assert.Single(plan.Provisioners));
        Assert.Equal(["echo web {{ .SourceAMI }}"], shell.Inline);
        Assert.Equal((5, 2, 600), (shell.PauseBeforeSeconds, shell.MaxRetries, shell.TimeoutSeconds ?? 0));
        Assert.Equal("manifest.json", Assert.Single(plan.PostProcessors).Output);
    }

    [Fact]
    public void An_error_cleanup_provisioner_block_belongs_to_its_own_builds_sources_only()
    {
        // Packer 1.7+ (1.6.6 predates the block): one per build block, run when that build's provisioning fails.
        var result = BuildFiles.BuildFileTestKit.AssertValid(Load(Source + """
            source "amazon-ebs" "api" {
              region        = "us-east-1"
              source_ami    = "ami-12345678"
              instance_type = "t3.micro"
              ami_name      = "api-{{timestamp}}"
            }
            build {
              name    = "front"
              sources = ["source.amazon-ebs.web"]
              provisioner "shell" {
                inline = ["make install"]
              }
              error-cleanup-provisioner "shell" {
                inline          = ["tail -n 50 /var/log/${source.name}.log"]
                max_retries     = 1
                timeout         = "2m"
              }
            }
            build {
              name    = "back"
              sources = ["source.amazon-ebs.api"]
            }
            """));
        var front = Assert.Single(result.Definition!.Builds, b => b.Builder.Name == "front.amazon-ebs.web");
        var cleanup = Assert.IsType<ShellProvisioner>(front.ErrorCleanupProvisioner);
        Assert.Equal(["tail -n 50 /var/log/web.log"], cleanup.Inline);
        Assert.Equal((Provisioner.ErrorCleanupIndex, 1, 120), (cleanup.Index, cleanup.MaxRetries, cleanup.TimeoutSeconds ?? 0));
        Assert.Equal("error-cleanup-provisioner", cleanup.Label);
        Assert.IsType<ShellProvisioner>(Assert.Single(front.Provisioners));
        Assert.Null(Assert.Single(result.Definition.Builds, b => b.Builder.Name == "back.amazon-ebs.api").ErrorCleanupProvisioner);
    }

    [Fact]
    public void An_error_cleanup_provisioner_is_checked_as_a_provisioner_with_its_place()
    {
        var result = Load(Source + """
            build {
              sources = ["source.amazon-ebs.web"]
              error-cleanup-provisioner "shell" {
                inlne = ["true"]
              }
            }
            """);
        var error = Assert.Single(result.Errors, e => e.Message.Contains("unknown key \"inlne\"", StringComparison.Ordinal));
        Assert.Equal(("builds/web/build.pkr.hcl", 10, 5, "inline"), (error.File, error.Line, error.Column, error.Suggestion));
        Assert.Equal("build.error-cleanup-provisioner[shell].inlne", error.JsonPath);
    }

    [Fact]
    public void Typed_variables_take_defaults_var_files_environment_and_vars_in_packer_order()
    {
        const string Template = """
            variable "region" {
              type    = string
              default = "us-east-1"
            }
            variable "size" {
              type    = number
              default = 8
            }
            variable "zones" {
              type    = list(string)
              default = ["a"]
            }
            variable "tags" {
              type    = map(string)
              default = { Team = "ops" }
            }
            source "amazon-ebs" "web" {
              region        = var.region
              source_ami    = "ami-12345678"
              instance_type = "t3.micro"
              ami_name      = "web-${var.size}-${join("", var.zones)}"
              tags          = merge(var.tags, { Size = var.size })
            }
            build { sources = ["source.amazon-ebs.web"] }
            """;
        var defaults = BuildFiles.BuildFileTestKit.AssertValid(Load(Template)).Definition!.Builds[0].Builder;
        Assert.Equal(("us-east-1", "web-8-a"), (defaults.Region, defaults.AmiName));
        Assert.Equal("8", defaults.Tags["Size"]);

        var set = BuildFiles.BuildFileTestKit.AssertValid(Load(Template,
            vars: [new("zones", "[\"b\", \"c\"]"), new("size", "20")],
            varFiles: [new("x.pkrvars.hcl", "region = \"eu-west-1\"\nsize = 10\n"u8.ToArray())],
            environment: n => n == "PKR_VAR_region" ? "ap-south-1" : null))
            .Definition!.Builds[0].Builder;
        Assert.Equal(("eu-west-1", "web-20-bc"), (set.Region, set.AmiName));
    }

    [Fact]
    public void Validation_blocks_and_types_refuse_bad_values_at_their_place()
    {
        const string Template = """
            variable "size" {
              type = number
              validation {
                condition     = var.size >= 8 && var.size <= 16384
                error_message = "The size must be between 8 and 16384 GiB."
              }
            }
            """;
        var invalid = SingleError(Load(Template + "\n" + Source + "build { sources = [\"source.amazon-ebs.web\"] }", vars: [new("size", "4")]), "The size must be between 8");
        Assert.Equal(("builds/web/build.pkr.hcl", 4, 5), (invalid.File, invalid.Line, invalid.Column));
        Assert.Equal("invalid value 4 for variable \"size\": The size must be between 8 and 16384 GiB.", invalid.Message);

        var wrongType = SingleError(Load(Template + "\n" + Source + "build { sources = [\"source.amazon-ebs.web\"] }", vars: [new("size", "\"big\"")]), "a number is required");
        Assert.Equal("-var size", wrongType.File);

        var missing = SingleError(Load(Template + "\n" + Source + "build { sources = [\"source.amazon-ebs.web\"] }"), "variable \"size\" has no value");
        Assert.Equal((1, 1), (missing.Line, missing.Column));
    }

    [Fact]
    public void Sensitive_variables_and_locals_are_masked_in_messages_and_the_model()
    {
        var result = Load("""
            variable "token" {
              type      = string
              sensitive = true
            }
            local "secret" {
              expression = "k-${var.token}"
              sensitive  = true
            }
            source "amazon-ebs" "web" {
              region        = "us-east-1"
              source_ami    = "ami-12345678"
              instance_type = "t3.micro"
              ami_name      = "web ${local.secret} !!"
            }
            build { sources = ["source.amazon-ebs.web"] }
            """, vars: [new("token", "hunter2")]);
        Assert.False(result.IsValid);
        Assert.All(result.Errors, e => Assert.DoesNotContain("hunter2", e.ToString(), StringComparison.Ordinal));
        Assert.Equal("web <sensitive> !!", result.Redactor.Redact("web k-hunter2 !!"));
    }

    [Fact]
    public void Locals_see_each_other_in_any_order_and_a_cycle_is_an_error()
    {
        var result = BuildFiles.BuildFileTestKit.AssertValid(Load("""
            locals {
              name = "${local.prefix}-${local.stamp}"
              tags = merge(local.common, { Name = local.name })
            }
            locals {
              prefix = lower("WEB")
              stamp  = formatdate("YYYYMMDD", timestamp())
              common = { Team = "ops" }
            }
            source "amazon-ebs" "web" {
              region        = "us-east-1"
              source_ami    = "ami-12345678"
              instance_type = "t3.micro"
              ami_name      = local.name
              tags          = local.tags
            }
            build { sources = ["source.amazon-ebs.web"] }
            """));
        var builder = result.Definition!.Builds[0].Builder;
        Assert.Equal("web-20240506", builder.AmiName);
        Assert.Equal(new Dictionary<string, string> { ["Name"] = "web-20240506", ["Team"] = "ops" }, builder.Tags);

        var cycle = Load("locals {\n  a = local.b\n  b = local.a\n}\n" + Source + "build { sources = [\"source.amazon-ebs.web\"] }");
        var error = Assert.Single(cycle.Errors);
        Assert.Contains("depend on each other", error.Message, StringComparison.Ordinal);
        Assert.Contains("local.a", error.Message, StringComparison.Ordinal);
        Assert.Contains("local.b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_sources_nested_overrides_only_except_and_a_dynamic_block()
    {
        var result = BuildFiles.BuildFileTestKit.AssertValid(Load(Source + """
            source "amazon-ebs" "db" {
              region        = "us-east-1"
              source_ami    = "ami-12345678"
              instance_type = "t3.large"
              ami_name      = "db-{{timestamp}}"
              dynamic "launch_block_device_mappings" {
                for_each = { "/dev/sda1" = 8, "/dev/sdb" = 100 }
                iterator = disk
                content {
                  device_name = disk.key
                  volume_size = disk.value
                  volume_type = "gp3"
                }
              }
            }
            build {
              name    = "app"
              sources = ["source.amazon-ebs.web"]
              source "source.amazon-ebs.db" {
                name          = "db-big"
                instance_type = "m5.xlarge"
              }
              provisioner "shell" {
                only   = ["amazon-ebs.web"]
                inline = ["echo web"]
              }
              provisioner "shell" {
                except = ["amazon-ebs.web"]
                inline = ["echo db"]
              }
              provisioner "file" {
                source      = "files/a.conf"
                destination = "/tmp/${source.name}.conf"
              }
            }
            """));
        var plans = result.Definition!.Builds;
        Assert.Equal(["app.amazon-ebs.web", "app.amazon-ebs.db-big"], plans.Select(p => p.Builder.Name));
        Assert.Equal("m5.xlarge", plans[1].Builder.InstanceType);
        Assert.Equal(["/dev/sda1", "/dev/sdb"], plans[1].Builder.LaunchBlockDeviceMappings.Select(m => m.DeviceName));
        Assert.Equal([8, 100], plans[1].Builder.LaunchBlockDeviceMappings.Select(m => m.VolumeSize ?? 0));
        Assert.Equal(["echo web"], Assert.IsType<ShellProvisioner>(plans[0].Provisioners[0]).Inline);
        Assert.Equal(["echo db"], Assert.IsType<ShellProvisioner>(plans[1].Provisioners[0]).Inline);
        Assert.Equal("/tmp/web.conf", Assert.IsType<FileProvisioner>(plans[0].Provisioners[1]).Destination);
        Assert.Equal("/tmp/db-big.conf", Assert.IsType<FileProvisioner>(plans[1].Provisioners[1]).Destination);

        var onlyDb = BuildFiles.BuildFileTestKit.AssertValid(Load(Source + "source \"amazon-ebs\" \"db\" {\n  region = \"us-east-1\"\n  source_ami = \"ami-12345678\"\n  instance_type = \"t3.micro\"\n  ami_name = \"db-x\"\n}\n"
            + "build { sources = [\"source.amazon-ebs.web\", source.amazon-ebs.db] }", only: ["amazon-ebs.db"]));
        Assert.Equal("amazon-ebs.db", Assert.Single(onlyDb.Definition!.Builds).Builder.Name);
    }

    [Fact]
    public void Problems_the_json_engine_finds_are_reported_at_the_hcl_place()
    {
        var result = Load("""
            source "amazon-ebs" "web" {
              region        = "us-east-1"
              instance_type = "t3.micro"
              ami_name      = "web"
              encrypt_boot  = "maybe"
            }
            build { sources = ["source.amazon-ebs.web"] }
            """);
        Assert.False(result.IsValid);
        var missing = Assert.Single(result.Errors, e => e.Message.Contains("source_ami or source_ami_filter is required", StringComparison.Ordinal));
        Assert.Equal(("builds/web/build.pkr.hcl", 1, 1), (missing.File, missing.Line, missing.Column));
        Assert.StartsWith("source.amazon-ebs.web", missing.JsonPath, StringComparison.Ordinal);
        var encrypt = Assert.Single(result.Errors, e => e.JsonPath.EndsWith("encrypt_boot", StringComparison.Ordinal));
        Assert.Equal((5, 3), (encrypt.Line, encrypt.Column));
    }

    [Theory]
    [InlineData("source \"amazon-ebs\" \"web\" {\n  ami_name = var.nmae\n}\nvariable \"name\" {\n  default = \"x\"\n}\nbuild { sources = [\"source.amazon-ebs.web\"] }\n", 2, 17, "var has no attribute \"nmae\"", "name")]
    [InlineData("bulid {\n}\n", 1, 1, "unknown block type \"bulid\"", "build")]
    [InlineData("build {\n  sources = [\"source.amazon-ebs.wbe\"]\n}\n" + "source \"amazon-ebs\" \"web\" {\n}\n", 2, 14, "is not a declared source", "source.amazon-ebs.web")]
    [InlineData("data \"amazon-parameterstore\" \"ubuntu\" {\n}\n" + "build {\n}\n", 1, 1, "amazon-parameterstore needs a name", null)]
    [InlineData("data \"amazon-secretsmanager\" \"db\" {\n  name = \"db\"\n  version_stag = \"AWSCURRENT\"\n}\n" + "build {\n}\n", 3, 3, "unknown amazon-secretsmanager argument \"version_stag\"", "version_stage")]
    [InlineData("data \"consul-kv\" \"x\" {\n}\n" + "build {\n}\n", 1, 1, "the data source \"consul-kv\" is not supported yet", null)]
    // What Packer's HCL2 refuses and JSON's weak typing accepts (the hcl2_upgrade oracle found both): a comma string for a list,
    // and {{user}} left in a value.
    [InlineData("source \"amazon-ebs\" \"web\" {\n  region = \"us-east-1\"\n  source_ami = \"ami-12345678\"\n  instance_type = \"t3.micro\"\n  ami_name = \"web\"\n  ami_users = \"1111,2222\"\n}\nbuild { sources = [\"source.amazon-ebs.web\"] }\n", 6, 3, "ami_users must be a list of strings, not a string", null)]
    [InlineData("source \"amazon-ebs\" \"web\" {\n  region = \"us-east-1\"\n  source_ami = \"ami-12345678\"\n  instance_type = \"t3.micro\"\n  ami_name = \"web-{{user `app`}}\"\n}\nbuild { sources = [\"source.amazon-ebs.web\"] }\n", 5, 3, "{{user `app`}} is a JSON template function, which Packer does not run in HCL2 templates: write ${var.app}", null)]
    [InlineData("x = 1\nbuild {\n}\n", 1, 1, "unexpected attribute \"x\" at the top level", null)]
    [InlineData("build {\n  sources = [\"source.amazon-ebs.web\"]\n  provisioner \"shell\" {\n    only = [\"amazon-ebs.wbe\"]\n  }\n}\nsource \"amazon-ebs\" \"web\" {\n}\n", 4, 5, "\"amazon-ebs.wbe\" is not a source of this build", "amazon-ebs.web")]
    [InlineData("variable \"x\" {\n  type = strng\n}\n", 2, 10, "\"strng\" is not a type", null)]
    [InlineData("build {\n  sources = [\"source.amazon-ebs.web\"]\n  error-cleanup-provisioner \"shell\" {\n    inline = [\"true\"]\n  }\n  error-cleanup-provisioner \"shell\" {\n    inline = [\"false\"]\n  }\n}\nsource \"amazon-ebs\" \"web\" {\n}\n", 6, 3, "a build has at most one error-cleanup-provisioner block", null)]
    [InlineData("build {\n  sources = [\"source.amazon-ebs.web\"]\n  error-cleanup-provisoner \"shell\" {\n  }\n}\nsource \"amazon-ebs\" \"web\" {\n}\n", 3, 3, "unknown block \"error-cleanup-provisoner\" in a build", "error-cleanup-provisioner")]
    public void Errors_name_file_line_column_and_a_fix(string template, int line, int column, string message, string? suggestion)
    {
        var result = Load(template);
        var error = Assert.Single(result.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal(("builds/web/build.pkr.hcl", line, column, suggestion), (error.File, error.Line, error.Column, error.Suggestion));
    }

    [Fact]
    public void A_folder_is_read_as_one_template_and_syntax_errors_name_their_file()
    {
        var result = BuildFiles.BuildFileTestKit.AssertValid(Load("variable \"name\" {\n  default = \"web\"\n}\n", moreFiles: [
            new("builds/web/sources.pkr.hcl", System.Text.Encoding.UTF8.GetBytes(Source.Replace("\"web-{{timestamp}}\"", "var.name", StringComparison.Ordinal))),
            new("builds/web/build2.pkr.hcl", "build {\n  sources = [\"source.amazon-ebs.web\"]\n}\n"u8.ToArray()),
        ]));
        Assert.Equal("web", result.Definition!.Builds[0].Builder.AmiName);

        var broken = Load(Source, moreFiles: [new("builds/web/other.pkr.hcl", "build {\n  sources = [\n}\n"u8.ToArray())]);
        var error = Assert.Single(broken.Errors);
        Assert.Equal(("builds/web/other.pkr.hcl", 3, 1), (error.File, error.Line, error.Column));
    }
}
