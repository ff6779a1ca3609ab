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
    public void An_undeclared_var_is_accepted_with_a_warning_and_user_reads_it()
    {
        // Packer 1.6.6: `packer validate -var und=3 t.json` exits 0 without a word, and
        // `echo '{{user `cli`}}' | packer console -var cli=x t.json` prints "x".
        var file = "{\"variables\": {\"region\": \"x\"}, \"builders\": [{\"type\": \"amazon-ebs\", \"region\": \"us-east-1\", "
            + "\"source_ami\": \"ami-1\", \"instance_type\": \"t3.micro\", \"ami_name\": \"name\", \"tags\": {\"Note\": \"{{user `regoin`}}\"}}]}";

        var result = AssertValid(Load(file, vars: [Var("regoin", "y")]));

        Assert.Equal("y", result.Definition!.Builds[0].Builder.Tags["Note"]);
        var warning = Assert.Single(result.Warnings, w => w.File == "-var");
        Assert.Contains("\"regoin\" is not declared", warning.Message, StringComparison.Ordinal);
        Assert.Equal("region", warning.Suggestion);
    }

    [Fact]
    public void An_undeclared_name_in_a_var_file_is_accepted_with_a_warning_at_its_place()
    {
        // Packer 1.6.6: `packer validate -var-file v.json t.json` with {"extra": "1"} undeclared exits 0.
        var result = AssertValid(Load(FileUsingRegion("{\"region\": \"x\"}"), varFiles: [VarFile("vars.json", "{\n  \"nope\": \"1\"}")]));
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("vars.json", 2, 3), (warning.File, warning.Line, warning.Column));
    }

    [Fact]
    public void An_undeclared_user_variable_renders_empty_with_one_warning_at_its_first_use()
    {
        // Packer 1.6.6: `echo '{{user `undeclared`}}' | packer console t.json` prints an empty line, and
        // `"ami_name": "x-{{user `undeclared`}}-y"` validates.
        var file = WithBuilder("\"tags\": {\"A\": \"x-{{user `nope`}}-y\", \"B\": \"{{user `nope`}}\"}");

        var result = AssertValid(Load(file));

        Assert.Equal("x--y", result.Definition!.Builds[0].Builder.Tags["A"]);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("\"nope\"", warning.Message, StringComparison.Ordinal);
        Assert.Equal("builders[0].tags.A", warning.JsonPath);
    }

    [Fact]
    public void Null_in_a_var_file_sets_the_variable_to_empty_even_a_required_one_with_no_error()
    {
        // Packer 1.6.6: with {"req": null} in a var file, a required "req" counts as set and renders "";
        // {"nv": null} overrides the default "default-nv" (`packer console` prints an empty line).
        var file = "{\"variables\": {\"req\": null, \"nv\": \"default-nv\"}, \"builders\": [{\"type\": \"amazon-ebs\", \"region\": \"us-east-1\", "
            + "\"source_ami\": \"ami-1\", \"instance_type\": \"t3.micro\", \"ami_name\": \"name\", \"tags\": {\"R\": \"<{{user `req`}}>\", \"N\": \"<{{user `nv`}}>\"}}]}";

        var result = AssertValid(Load(file, varFiles: [VarFile("v.json", "{\"req\": null, \"nv\": null}")]));

        Assert.Equal("<>", result.Definition!.Builds[0].Builder.Tags["R"]);
        Assert.Equal("<>", result.Definition!.Builds[0].Builder.Tags["N"]);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void A_number_in_a_var_file_is_one_error_at_its_place_as_Packer_refuses_it()
    {
        // Packer 1.6.6: "Error reading variables in 'v6.json': json: cannot unmarshal number into Go value of type string".
        var error = AssertSingleError(Load(FileUsingRegion("{\"region\": \"x\"}"), varFiles: [VarFile("v.json", "{\"region\": 5}")]),
            "must be a string or null, not a number");
        Assert.Equal(("v.json", 1, 12), (error.File, error.Line, error.Column));
    }

    [Fact]
    public void Errors_of_several_var_files_are_grouped_by_file_in_command_line_order()
    {
        var result = Load(FileUsingRegion("{\"region\": \"x\"}"), varFiles:
        [
            VarFile("b.json", "{\n\"a\": 1,\n\"b\": 2,\n\"c\": 3}"),
            VarFile("a.json", "{\"a\": 1, \"b\": [2]}"),
        ]);

        Assert.Equal(["b.json", "b.json", "b.json", "a.json", "a.json"], result.Errors.Select(e => e.File));
    }

    [Fact]
    public void Var_file_and_var_values_are_rendered_like_defaults()
    {
        // Packer 1.6.6, with {"dir": "{{user `base`}}/x", "e": "{{env `HOME`}}", "td": "{{template_dir}}"} in a var file and
        // -var 'cli={{user `base`}}-c': `packer console` prints b/x, /root, the template's folder and b-c.
        var file = "{\"variables\": {\"base\": \"b\"}, \"builders\": [{\"type\": \"amazon-ebs\", \"region\": \"us-east-1\", "
            + "\"source_ami\": \"ami-1\", \"instance_type\": \"t3.micro\", \"ami_name\": \"name\", "
            + "\"tags\": {\"D\": \"{{user `dir`}}\", \"E\": \"{{user `e`}}\", \"T\": \"{{user `td`}}\", \"C\": \"{{user `cli`}}\"}}]}";

        var result = AssertValid(Load(file,
            vars: [Var("cli", "{{user `base`}}-c")],
            varFiles: [VarFile("v.json", "{\"dir\": \"{{user `base`}}/x\", \"e\": \"{{env `HOME`}}\", \"td\": \"{{template_dir}}\"}")],
            environment: name => name == "HOME" ? "/root" : null));

        var tags = result.Definition!.Builds[0].Builder.Tags;
        Assert.Equal(("b/x", "/root", "/builds/web", "b-c"), (tags["D"], tags["E"], tags["T"], tags["C"]));
    }

    [Fact]
    public void A_given_value_that_uses_build_name_is_an_error_against_the_var_file()
    {
        // Packer 1.6.6 with {"ts": "{{ build_name }}"} in a var file: "error calling build_name: build_name not available".
        var error = AssertSingleError(Load(FileUsingRegion("{\"region\": \"x\"}"), varFiles: [VarFile("v.json", "{\"ts\": \"{{ build_name }}\"}")]),
            "build_name");
        Assert.Equal("v.json", error.File);
    }

    [Fact]
    public void A_sensitive_name_given_only_with_var_is_masked_and_accepted()
    {
        // Packer 1.6.6: "sensitive-variables": ["zz"] with no variable zz declared validates (exit 0).
        var file = "{\"sensitive-variables\": [\"token\"], \"builders\": [" + MinimalBuilder + "]}";

        var result = AssertValid(Load(file, vars: [Var("token", "s3cret-value")]));

        Assert.Equal("<sensitive>", result.Definition!.Variables["token"]);
        Assert.Equal("x <sensitive> y", result.Redactor.Redact("x s3cret-value y"));
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
