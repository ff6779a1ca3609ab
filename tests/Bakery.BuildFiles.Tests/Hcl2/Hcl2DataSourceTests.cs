using Bakery.BuildFiles.Model;
using static Bakery.BuildFiles.Tests.Hcl2.Hcl2TestKit;

namespace Bakery.BuildFiles.Tests.Hcl2;

/// <summary>
/// <c>data "amazon-parameterstore"</c> and <c>data "amazon-secretsmanager"</c>, against the amazon plugin's documented
/// arguments and attributes (Packer 1.6.6, the oracle of the conformance suite, predates data sources, so these tests
/// follow Packer's documentation, not a run of it): the engine asks for the value, is handed it, and masks secrets.
/// </summary>
public class Hcl2DataSourceTests
{
    private const string Template = """
        data "amazon-parameterstore" "release" {
          name            = "/bakery/data/${var.app}/release"
          with_decryption = false
        }

        data "amazon-secretsmanager" "db" {
          name          = "bakery/${var.app}/db"
          key           = "password"
          version_stage = "AWSPREVIOUS"
          region        = "eu-west-1"
        }

        variable "app" {
          default = "web"
        }

        locals {
          release  = data.amazon-parameterstore.release.value
          user     = jsondecode(data.amazon-secretsmanager.db.secret_string)["user"]
        }

        source "amazon-ebs" "web" {
          region        = "us-east-1"
          source_ami    = "ami-12345678"
          instance_type = "t3.micro"
          ami_name      = "web-${local.release}"
        }

        build {
          sources = ["source.amazon-ebs.web"]
          provisioner "shell" {
            inline = ["echo ${local.user}:${data.amazon-secretsmanager.db.value}"]
          }
        }

        """;

    private static readonly Dictionary<string, DataSourceValue> Resolved = new()
    {
        ["amazon-parameterstore.release"] = new(new Dictionary<string, string> { ["value"] = "1.4.2", ["version"] = "3", ["arn"] = "arn:aws:ssm:us-east-1:123456789012:parameter/bakery/data/web/release" }, []),
        ["amazon-secretsmanager.db"] = new(
            new Dictionary<string, string> { ["value"] = "hunter2", ["secret_string"] = """{"user":"app-admin","password":"hunter2"}""", ["secret_binary"] = "", ["version_id"] = "v-1" },
            ["hunter2", """{"user":"app-admin","password":"hunter2"}""", "app-admin"]),
    };

    [Fact]
    public void Without_values_the_load_asks_for_each_data_source_with_its_evaluated_arguments()
    {
        var result = Load(Template);

        Assert.Equal(
        [
            new DataSourceRequest { Type = "amazon-parameterstore", Label = "release", Place = "builds/web/build.pkr.hcl:1:1", Name = "/bakery/data/web/release" },
            new DataSourceRequest
            {
                Type = "amazon-secretsmanager", Label = "db", Place = "builds/web/build.pkr.hcl:6:1", Name = "bakery/web/db",
                Key = "password", VersionStage = "AWSPREVIOUS", Region = "eu-west-1",
            },
        ], result.DataRequests);
    }

    [Fact]
    public void Without_values_what_depends_on_them_is_unknown_not_an_error()
    {
        // What `bakery validate` and `inspect` see without AWS: jsondecode of a secret not read yet is no mistake.
        var result = Load(Template);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var plan = Assert.Single(result.Definition!.Builds);
        Assert.Equal("web-[unknown data.amazon-parameterstore.release.value]", plan.Builder.AmiName);
        Assert.Contains("[unknown ", Assert.IsType<ShellProvisioner>(Assert.Single(plan.Provisioners)).Inline[0], StringComparison.Ordinal);
    }

    [Fact]
    public void With_values_the_template_reads_them_and_asks_for_nothing()
    {
        var result = Load(Template, dataSources: Resolved);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Empty(result.DataRequests);
        var plan = Assert.Single(result.Definition!.Builds);
        Assert.Equal("web-1.4.2", plan.Builder.AmiName);
        Assert.Equal("echo app-admin:hunter2", Assert.IsType<ShellProvisioner>(Assert.Single(plan.Provisioners)).Inline[0]);
    }

    [Fact]
    public void A_secrets_values_are_masked_like_sensitive_variables()
    {
        var result = Load(Template, dataSources: Resolved);

        Assert.Equal("echo <sensitive>:<sensitive>", result.Redactor.Redact("echo app-admin:hunter2"));
        Assert.Equal("1.4.2", result.Redactor.Redact("1.4.2"));
    }

    [Fact]
    public void An_error_elsewhere_does_not_show_a_secret()
    {
        var broken = Template.Replace("instance_type = \"t3.micro\"", "instance_type = local.user", StringComparison.Ordinal)
            .Replace("ami_name      = \"web-${local.release}\"", "ami_name = \"web-${local.release}\"\n  ami_regions = data.amazon-secretsmanager.db.value", StringComparison.Ordinal);

        var result = Load(broken, dataSources: Resolved);

        Assert.False(result.IsValid);
        Assert.All(result.Errors, error => Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"user":"a","password":"p"}""", "password", "p")]
    [InlineData("""{"only":"v"}""", null, "v")]
    [InlineData("""{"port":5432}""", "port", "5432")]
    [InlineData("plain text", null, "plain text")]
    public void The_value_of_a_secret_is_the_keys_field_or_the_first_or_the_whole(string secret, string? key, string expected) =>
        Assert.Equal(expected, SecretValues.ValueOf(secret, key));

    [Theory]
    [InlineData("""{"user":"a"}""", "password", "has no key \"password\"")]
    [InlineData("plain", "password", "is not a JSON object")]
    public void A_key_the_secret_does_not_have_is_named(string secret, string key, string message) =>
        Assert.Contains(message, Assert.Throws<InvalidOperationException>(() => SecretValues.ValueOf(secret, key)).Message, StringComparison.Ordinal);

    [Fact]
    public void An_assume_role_block_is_refused_with_the_reason()
    {
        var result = Load("data \"amazon-parameterstore\" \"p\" {\n  name = \"/x\"\n  assume_role {\n    role_arn = \"arn:aws:iam::1:role/r\"\n  }\n}\n" + Source + "build {\n  sources = [\"source.amazon-ebs.web\"]\n}\n");

        var error = SingleError(result, "takes no \"assume_role\" block");
        Assert.Equal((3, 3), (error.Line, error.Column));
    }

    // A data source reading another's attributes. Packer 1.6.6 predates data sources; these follow the documented
    // behaviour of Packer 1.10 and later, which evaluates data sources in dependency order.
    private const string Chained = """
        data "amazon-parameterstore" "secret_name" {
          name = "/bakery/data/web/secret-name"
        }

        data "amazon-secretsmanager" "db" {
          name = data.amazon-parameterstore.secret_name.value
          key  = "password"
        }

        source "amazon-ebs" "web" {
          region        = "us-east-1"
          source_ami    = "ami-12345678"
          instance_type = "t3.micro"
          ami_name      = "web-{{timestamp}}"
        }

        build {
          sources = ["source.amazon-ebs.web"]
          provisioner "shell" {
            inline = ["echo ${data.amazon-secretsmanager.db.value}"]
          }
        }

        """;

    [Fact]
    public void A_data_source_that_reads_another_is_asked_for_once_the_other_has_been_read()
    {
        var first = Load(Chained);

        Assert.True(first.IsValid, string.Join("\n", first.Errors));
        var request = Assert.Single(first.DataRequests);
        Assert.Equal("amazon-parameterstore.secret_name", request.Id);

        var second = Load(Chained, dataSources: new Dictionary<string, DataSourceValue>
        {
            ["amazon-parameterstore.secret_name"] = new(new Dictionary<string, string> { ["value"] = "bakery/web/db", ["version"] = "1", ["arn"] = "arn:p" }, []),
        });

        var dependent = Assert.Single(second.DataRequests);
        Assert.Equal(("amazon-secretsmanager.db", "bakery/web/db", "password"), (dependent.Id, dependent.Name, dependent.Key));
    }

    [Fact]
    public void A_data_source_declared_before_the_one_it_reads_is_evaluated_after_it()
    {
        var reordered = Chained.Replace("data \"amazon-parameterstore\" \"secret_name\" {\n  name = \"/bakery/data/web/secret-name\"\n}\n\n", "", StringComparison.Ordinal)
            + "data \"amazon-parameterstore\" \"secret_name\" {\n  name = \"/bakery/data/web/secret-name\"\n}\n";
        var values = new Dictionary<string, DataSourceValue>
        {
            ["amazon-parameterstore.secret_name"] = new(new Dictionary<string, string> { ["value"] = "bakery/web/db", ["version"] = "1", ["arn"] = "arn:p" }, []),
            ["amazon-secretsmanager.db"] = new(new Dictionary<string, string> { ["value"] = "hunter2", ["secret_string"] = "{}", ["secret_binary"] = "", ["version_id"] = "v" }, ["hunter2"]),
        };

        var result = Load(reordered, dataSources: values);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Empty(result.DataRequests);
        Assert.Equal("echo hunter2", Assert.IsType<ShellProvisioner>(Assert.Single(Assert.Single(result.Definition!.Builds).Provisioners)).Inline[0]);
    }

    [Fact]
    public void Two_data_sources_that_read_each_other_are_a_cycle_named_with_both()
    {
        var cycle = """
            data "amazon-parameterstore" "a" {
              name = "/bakery/data/${data.amazon-parameterstore.b.value}"
            }

            data "amazon-parameterstore" "b" {
              name = "/bakery/data/${data.amazon-parameterstore.a.value}"
            }

            """ + Source + "build {\n  sources = [\"source.amazon-ebs.web\"]\n}\n";

        var result = Load(cycle);

        var error = SingleError(result, "depend on each other");
        Assert.Contains("data.amazon-parameterstore.a", error.Message, StringComparison.Ordinal);
        Assert.Contains("data.amazon-parameterstore.b", error.Message, StringComparison.Ordinal);
        Assert.Empty(result.DataRequests);
    }

    [Fact]
    public void A_data_source_that_reads_an_amazon_ami_is_refused_with_the_reason()
    {
        var template = """
            data "amazon-ami" "base" {
              filters = { name = "al2023-ami-*" }
              owners  = ["amazon"]
            }

            data "amazon-parameterstore" "p" {
              name = "/bakery/data/${data.amazon-ami.base.id}"
            }

            """ + Source + "build {\n  sources = [\"source.amazon-ebs.web\"]\n}\n";

        var error = SingleError(Load(template), "looks up only when the build starts");
        Assert.Equal(6, error.Line);
    }

    [Fact]
    public void A_name_given_as_an_argument_and_as_a_block_is_one_error_at_the_block()
    {
        // Not a data source: the tree the JSON engine binds is built straight from the values, and a key given twice is
        // reported as the JSON engine reports a duplicate key, at the HCL place of the later one.
        var template = Source.Replace("ami_name      = \"web-{{timestamp}}\"", "ami_name = \"web-{{timestamp}}\"\n  tags = { A = \"1\" }\n  tags {\n    B = \"2\"\n  }", StringComparison.Ordinal)
            + "build {\n  sources = [\"source.amazon-ebs.web\"]\n}\n";

        var error = SingleError(Load(template), "\"tags\" is given twice");
        Assert.Equal(7, error.Line);
    }
}
