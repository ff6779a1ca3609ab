using System.Text;
using Bakery.BuildFiles;
using static Bakery.BuildFiles.Tests.BuildFiles.BuildFileTestKit;

namespace Bakery.BuildFiles.Tests.BuildFiles;

public class VariableTests
{
    private static string FileUsingRegion(string variables) =>
        "{\"variables\": " + variables + ", \"builders\": [{\"type\": \"amazon-ebs\", \"region\": \"{{user `region`}}\", "
        + "\"source_ami\": \"ami-1\", \"instance_type\": \"t3.micro\", \"ami_name\": \"name-{{user `region`}}\"}]}";

    private static string Region(BuildFileResult result) => AssertValid(result).Definition!.Builds[0].Builder.Region;

    private static VarFile VarFile(string name, string json) => new(name, Encoding.UTF8.GetBytes(json));

    private static KeyValuePair<string, string> Var(string name, string value) => new(name, value);

    [Fact]
    public void The_default_is_used_when_nothing_is_given() =>
        Assert.Equal("eu-west-1", Region(Load(FileUsingRegion("{\"region\": \"eu-west-1\"}"))));

    [Fact]
    public void A_var_file_wins_over_the_default_and_a_later_var_file_wins_over_an_earlier_one() =>
        Assert.Equal("b", Region(Load(FileUsingRegion("{\"region\": \"x\"}"),
            varFiles: [VarFile("1.json", "{\"region\": \"a\"}"), VarFile("2.json", "{\"region\": \"b\"}")])));

    [Fact]
    public void A_var_wins_over_var_files_and_a_later_var_wins() =>
        Assert.Equal("v2", Region(Load(FileUsingRegion("{\"region\": \"x\"}"),
            vars: [Var("region", "v1"), Var("region", "v2")], varFiles: [VarFile("1.json", "{\"region\": \"a\"}")])));

    [Fact]
    public void A_required_variable_given_with_var_is_fine_and_missing_is_an_error_at_its_declaration()
    {
        Assert.Equal("ap-south-1", Region(Load(FileUsingRegion("{\"region\": null}"), vars: [Var("region", "ap-south-1")])));
        var error = AssertSingleError(Load(FileUsingRegion("{\"region\": null}")), "required variable \"region\" is not set");
        Assert.Equal("variables.region", error.JsonPath);
        Assert.Equal((1, 26), (error.Line, error.Column));
    }

    [Fact]
    public void Defaults_may_read_the_environment_and_other_variables() =>
        Assert.Equal("from-env-1", Region(Load(FileUsingRegion("{\"base\": \"{{env `REGION_BASE`}}\", \"region\": \"{{user `base`}}-1\"}"),
            environment: name => name == "REGION_BASE" ? "from-env" : null)));

    [Fact]
    public void Given_values_are_taken_literally_not_rendered()
    {
        // A tag value, since region and ami_name now refuse characters AWS would refuse anyway.
        var file = "{\"variables\": {\"note\": \"x\"}, \"builders\": [{\"type\": \"amazon-ebs\", \"region\": \"us-east-1\", "
            + "\"source_ami\": \"ami-1\", \"instance_type\": \"t3.micro\", \"ami_name\": \"name\", \"tags\": {\"Note\": \"{{user `note`}}\"}}]}";

        var result = Load(file, vars: [Var("note", "{{ not a template")]);

        Assert.Equal("{{ not a template", AssertValid(result).Definition!.Builds[0].Builder.Tags["Note"]);
    }

    [Fact]
    public void An_undeclared_var_is_an_error_with_a_suggestion()
    {
        var error = AssertSingleError(Load(FileUsingRegion("{\"region\": \"x\"}"), vars: [Var("regoin", "y")]), "not declared");
        Assert.Equal("-var", error.File);
        Assert.Equal("region", error.Suggestion);
    }

    [Fact]
    public void An_undeclared_name_in_a_var_file_is_reported_against_that_file()
    {
        var error = AssertSingleError(Load(FileUsingRegion("{\"region\": \"x\"}"), varFiles: [VarFile("vars.json", "{\n  \"nope\": \"1\"}")]), "not declared");
        Assert.Equal(("vars.json", 2, 3), (error.File, error.Line, error.Column));
    }

    [Fact]
    public void A_malformed_var_file_is_reported_with_its_position()
    {
        var error = AssertSingleError(Load(FileUsingRegion("{\"region\": \"x\"}"), varFiles: [VarFile("vars.json", "{\"region\": \"a\",}")]), "trailing comma");
        Assert.Equal("vars.json", error.File);
    }

    [Fact]
    public void Sensitive_values_are_masked_in_messages_and_in_the_definition()
    {
        var json = "{\"variables\": {\"password\": \"hunter22\"}, \"sensitive-variables\": [\"password\"], \"builders\": [{\"type\": \"amazon-ebs\", "
            + "\"region\": \"us-east-1\", \"source_ami\": \"ami-1\", \"instance_type\": \"t3.micro\", \"ami_name\": \"bad#{{user `password`}}\"}]}";
        var result = Load(json);
        var error = AssertSingleError(result, "contains characters EC2 does not allow");
        Assert.DoesNotContain("hunter22", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("<sensitive>", error.Message, StringComparison.Ordinal);
        Assert.Equal("x <sensitive> y", result.Redactor.Redact("x hunter22 y"));

        var valid = AssertValid(Load(json.Replace("bad#", "ok-", StringComparison.Ordinal)));
        Assert.Equal("<sensitive>", valid.Definition!.Variables["password"]);
        Assert.Equal(["password"], valid.Definition.SensitiveVariables);
    }

    [Fact]
    public void Timestamp_is_the_same_in_every_field_of_a_build()
    {
        var result = AssertValid(Load(WithBuilder("\"tags\": {\"Built\": \"{{timestamp}}\"}")));
        var builder = result.Definition!.Builds[0].Builder;
        var expected = Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("test-" + expected, builder.AmiName);
        Assert.Equal(expected, builder.Tags["Built"]);
        Assert.Equal(Now.ToUnixTimeSeconds(), result.Definition.Timestamp);
    }

    [Fact]
    public void Env_outside_variable_defaults_is_an_error() =>
        AssertSingleError(Load(WithBuilder("\"ami_description\": \"{{env `HOME`}}\""), environment: _ => "/root"), "env");
}
