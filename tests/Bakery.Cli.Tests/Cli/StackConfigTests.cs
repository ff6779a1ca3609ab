using Bakery.Cli.Stack;
using Bakery.Local.StandIn;

namespace Bakery.EndToEnd.Tests.Cli;

public sealed class StackConfigTests
{
    [Fact]
    public void Reads_the_json_template_yaml_writes_to_the_config_parameter()
    {
        // The exact shape of ConfigParameter's !Sub in template.yaml, with values filled in.
        var json = File.ReadAllText(Bakery.Testing.RepositoryPaths.Combine("template.yaml"));
        Assert.Contains("""{"bucket":"${TemplatesBucket}","stateMachineArn":"${BakeStateMachine}","ledgerTable":"${LedgerTable}","region":"${AWS::Region}"}""", json, StringComparison.Ordinal);

        var config = StackConfig.Parse(
            """{"bucket":"b-123","stateMachineArn":"arn:aws:states:eu-west-1:1:stateMachine:bake","ledgerTable":"ledger-9","region":"eu-west-1"}""", "test");

        Assert.Equal("b-123", config.Bucket);
        Assert.Equal("arn:aws:states:eu-west-1:1:stateMachine:bake", config.StateMachineArn);
        Assert.Equal("ledger-9", config.LedgerTable);
        Assert.Equal("eu-west-1", config.Region);
        Assert.Equal("/bakery/prod/config", StackConfig.ParameterName("prod"));
    }

    [Theory]
    [InlineData("not json", "is not JSON")]
    [InlineData("[1]", "is not a JSON object")]
    [InlineData("""{"bucket":"b","stateMachineArn":"a","region":"r"}""", "has no \"ledgerTable\"")]
    [InlineData("""{"bucket":"","stateMachineArn":"a","ledgerTable":"t","region":"r"}""", "has no \"bucket\"")]
    [InlineData("""{"bucket":1,"stateMachineArn":"a","ledgerTable":"t","region":"r"}""", "has no \"bucket\"")]
    public void A_bad_value_names_the_parameter_and_what_is_wrong(string json, string expected)
    {
        var error = Assert.Throws<StackConfigException>(() => StackConfig.Parse(json, "SSM parameter /bakery/x/config"));

        Assert.Contains("SSM parameter /bakery/x/config", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_local_stand_in_config_round_trips_through_its_json()
    {
        var standIn = new StandInDescription
        {
            AwsEndpoint = "http://127.0.0.1:1",
            LambdaEndpoint = "http://127.0.0.1:2",
            Bucket = "bakery-local",
            LedgerTable = "bakery-local-ledger",
            InstanceProfile = "bakery-local-builder",
            Region = "us-east-1",
        };

        var config = StackConfig.Parse(LocalStack.Config(standIn).ToJson(), "local");

        Assert.Equal(LocalStack.Config(standIn), config);
        Assert.StartsWith("arn:aws:states:us-east-1:", config.StateMachineArn, StringComparison.Ordinal);
    }
}
