using Bakery.BuildFiles.Tests.Hcl2;

namespace Bakery.BuildFiles.Tests.BuildFiles;

/// <summary>
/// The problems a caller acts on carry a code (Prepare waits for a var file still uploading on these), so no caller
/// has to read the message; every other problem is <see cref="DiagnosticCode.General"/>.
/// </summary>
public sealed class DiagnosticCodeTests
{
    private const string Source = """
        source "amazon-ebs" "web" {
          region        = var.region
          source_ami    = "ami-12345678"
          instance_type = "t3.micro"
          ami_name      = "web"
        }
        build { sources = ["source.amazon-ebs.web"] }
        """;

    [Fact]
    public void A_legacy_required_variable_without_a_value_is_coded()
    {
        var result = BuildFileTestKit.Load(BuildFileTestKit.WithBuilder("\"ami_description\": \"{{user `desc`}}\"", "\"variables\": {\"desc\": null}"));

        Assert.Equal(DiagnosticCode.VariableHasNoValue, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void An_hcl2_variable_without_a_value_is_coded()
    {
        var result = Hcl2TestKit.Load("variable \"region\" { type = string }\n" + Source);

        Assert.Contains(result.Errors, error => error.Code == DiagnosticCode.VariableHasNoValue);
    }

    [Fact]
    public void An_hcl2_value_failing_its_type_or_validation_is_coded()
    {
        var wrongType = Hcl2TestKit.Load("variable \"region\" { type = string }\nvariable \"n\" { type = number }\n" + Source,
            vars: [new("region", "us-east-1"), new("n", "many")]);
        var invalid = Hcl2TestKit.Load(
            "variable \"region\" {\n  type = string\n  validation {\n    condition = var.region == \"us-east-1\"\n    error_message = \"Use us-east-1.\"\n  }\n}\n" + Source,
            vars: [new("region", "mars-1")]);

        Assert.Equal(DiagnosticCode.VariableValueInvalid, Assert.Single(wrongType.Errors).Code);
        Assert.Equal(DiagnosticCode.VariableValueInvalid, Assert.Single(invalid.Errors).Code);
    }

    [Fact]
    public void A_problem_that_merely_mentions_a_variable_is_general()
    {
        var result = BuildFileTestKit.Load(BuildFileTestKit.WithBuilder(
            rest: "\"provisioners\": [{\"type\": \"shell\", \"inline\": [\"true\"], \"environment_vars\": [\"not a name=1\"]}]"));

        var error = Assert.Single(result.Errors);
        Assert.Contains("variable", error.Message, StringComparison.Ordinal);
        Assert.Equal(DiagnosticCode.General, error.Code);
    }
}
