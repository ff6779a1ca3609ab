using System.Text.Json.Nodes;
using Bakery.Core.Steps;
using Bakery.Local.StepFunctions;
using Bakery.Testing;
using CliWrap;
using CliWrap.Buffered;
using YamlDotNet.RepresentationModel;

namespace Bakery.EndToEnd.Tests.Static;

/// <summary>template.yaml parsed as YAML (short-form tags kept) and checked against issue 5's rules.</summary>
public sealed class TemplateTests
{
    private static readonly IReadOnlyList<string> Steps = StepNames.Handlers;

    // Tag-based conditions that tie an EC2 mutation to resources Bakery made (or is making).
    private static readonly string[] TagConditionKeys =
        [
            "aws:ResourceTag/bakery:managed", "aws:RequestTag/bakery:managed", "ssm:resourceTag/bakery:managed",
            // Builder instances: bakery:role=builder, which only Launch puts on them (never on an image).
            "aws:ResourceTag/bakery:role", "ssm:resourceTag/bakery:role",
        ];

    private static readonly string[] ReadOnlyEc2Prefixes = ["ec2:Describe", "ec2:Get", "ec2:List"];

    private readonly SamTemplate _template = RepositoryFiles.Template;

    [Fact]
    public void Every_step_is_one_function_of_the_shared_bootstrap_with_the_local_lambda_contract()
    {
        var functions = _template.ResourcesOfType("AWS::Serverless::Function");
        Assert.Equal(Steps.Select(s => $"{s}Function").Order(), functions.Order());
        foreach (var step in Steps)
        {
            var properties = _template.PropertiesOf($"{step}Function");
            Assert.Equal(step, PolicyStatement.Scalar(properties, "Handler"));
            Assert.Equal("provided.al2023", PolicyStatement.Scalar(properties, "Runtime"));
            Assert.Equal(".bakery/publish/bootstrap/", PolicyStatement.Scalar(properties, "CodeUri"));
            Assert.Equal(["x86_64"], ((YamlSequenceNode)properties["Architectures"]).Children.Select(c => ((YamlScalarNode)c).Value));
            var variables = (YamlMappingNode)((YamlMappingNode)properties["Environment"])["Variables"];
            Assert.Equal(("!Ref", "TemplatesBucket"), Reference(variables["BAKERY_BUCKET"]));
            Assert.Equal(("!Ref", "LedgerTable"), Reference(variables["BAKERY_LEDGER_TABLE"]));
            Assert.Equal(("!Ref", "BuilderInstanceProfile"), Reference(variables["BAKERY_INSTANCE_PROFILE"]));
        }
    }

    [Theory]
    [InlineData(StepNames.Launch, "BAKERY_SUBNET_ID", "BuilderSubnetId")]
    [InlineData(StepNames.Janitor, "BAKERY_JANITOR_REGIONS", "JanitorExtraRegions")]
    public void Optional_settings_the_code_reads_are_stack_parameters_with_an_empty_default(string step, string variable, string parameter)
    {
        var variables = (YamlMappingNode)((YamlMappingNode)_template.PropertiesOf($"{step}Function")["Environment"])["Variables"];
        Assert.True(variables.Children.ContainsKey(new YamlScalarNode(variable)), $"{step}Function reads {variable} but template.yaml does not set it");
        Assert.Equal(("!Ref", parameter), Reference(variables[variable]));

        var declared = (YamlMappingNode)((YamlMappingNode)_template.Root["Parameters"])[parameter];
        Assert.Equal(string.Empty, PolicyStatement.Scalar(declared, "Default"));
    }

    [Fact]
    public void Every_function_the_definition_calls_exists_and_only_those_are_invokable_by_the_state_machine()
    {
        var machine = _template.StateMachineLogicalId();
        var called = _template.DefinitionSubstitutions(machine).Values.Select(t => t.LogicalId!).ToHashSet();
        var definitionTasks = RepositoryFiles.AllStates(RepositoryFiles.Definition)
            .Where(s => (string?)s.State["Type"] == "Task")
            .Select(s => ((string)s.State["Resource"]!).TrimStart('$', '{').Replace("Arn}", "", StringComparison.Ordinal)).ToHashSet();
        Assert.Subset(called, definitionTasks);

        var invokable = ((YamlSequenceNode)_template.PropertiesOf(machine)["Policies"]).Children.OfType<YamlMappingNode>()
            .Where(p => p.Children.ContainsKey(new YamlScalarNode("LambdaInvokePolicy")))
            .Select(p => Reference(((YamlMappingNode)p["LambdaInvokePolicy"])["FunctionName"]))
            .ToList();
        Assert.All(invokable, r => Assert.Equal("!Ref", r.Tag));
        Assert.Equal(called.Order(), invokable.Select(r => r.Target).Order());
        Assert.All(called, id => Assert.Equal("AWS::Serverless::Function", PolicyStatement.Scalar(_template.Resources[id], "Type")));

        // No other way to invoke: nothing in the template grants lambda:InvokeFunction itself.
        Assert.DoesNotContain(TemplatePolicies.All(_template), s => s.Actions.Any(a => a.StartsWith("lambda:", StringComparison.Ordinal)));
    }

    [Fact]
    public void No_policy_grants_a_mutating_ec2_action_on_star_or_on_existing_resources_without_a_tag_condition()
    {
        var statements = TemplatePolicies.All(_template).Where(s => s.Effect == "Allow").ToList();
        Assert.NotEmpty(statements);
        var checkedCount = 0;
        foreach (var statement in statements)
        {
            foreach (var action in statement.Actions.Where(IsMutatingEc2))
            {
                checkedCount++;
                Assert.DoesNotContain("*", statement.Actions);
                Assert.DoesNotContain("ec2:*", statement.Actions);
                var onStar = statement.Resources.Contains("*");
                // RunInstances/CreateSecurityGroup also name the image, subnet, VPC... they use (not change): those
                // may go untagged, as long as the statement never reaches "*".
                var changesExisting = action is not ("ec2:RunInstances" or "ec2:CreateSecurityGroup");
                if (onStar || changesExisting)
                {
                    Assert.True(
                        statement.ConditionKeys.Any(k => TagConditionKeys.Any(t => k.EndsWith(":" + t, StringComparison.Ordinal))),
                        $"{statement}: {action} needs a bakery:managed (or, for instances, bakery:role) tag condition");
                }
            }
        }

        Assert.True(checkedCount > 10, $"only {checkedCount} EC2 mutations found: the policy walk is not reading the template");
    }

    [Fact]
    public void Instances_and_security_groups_are_created_only_with_the_managed_tag_and_tags_only_on_create()
    {
        var launch = TemplatePolicies.All(_template).Where(s => s.Owner == "LaunchFunction").ToList();
        foreach (var action in new[] { "ec2:RunInstances", "ec2:CreateSecurityGroup" })
        {
            var creating = launch.Single(s => s.Actions.Contains(action) && s.Resources.Any(r => r.EndsWith(action == "ec2:RunInstances" ? ":instance/*" : ":security-group/*", StringComparison.Ordinal)));
            Assert.Equal("true", ((YamlScalarNode)creating.Condition("StringEquals", "aws:RequestTag/bakery:managed")!).Value);
        }

        var tagging = launch.Single(s => s.Actions.Contains("ec2:CreateTags"));
        var createActions = (YamlSequenceNode)tagging.Condition("StringEquals", "ec2:CreateAction")!;
        Assert.Equal(["RunInstances", "CreateSecurityGroup"], createActions.Children.Select(c => ((YamlScalarNode)c).Value));
    }

    [Fact]
    public void The_builder_instance_role_has_what_the_ssm_agent_needs_for_run_command_and_may_only_write_command_output()
    {
        // No managed policy: AmazonSSMManagedInstanceCore grants ssm:GetParameter* on "*", so every build script could
        // read every SecureString under the default key. No S3 read: files come by presigned URLs, and any S3 read grant
        // here would let one build's script read another's staged plan. The one write: command output under staging/*/logs/.
        var role = _template.PropertiesOf("BuilderRole");
        Assert.False(role.Children.ContainsKey(new YamlScalarNode("ManagedPolicyArns")), "the builder role has a managed policy");

        var statements = TemplatePolicies.All(_template).Where(statement => statement.Owner == "BuilderRole").ToList();
        Assert.All(statements, statement => Assert.Equal("Allow", statement.Effect));
        var actions = statements.SelectMany(statement => statement.Actions).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint",
                "ec2messages:GetMessages", "ec2messages:SendReply", "s3:PutObject", "ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
            ],
            actions);
        Assert.DoesNotContain(actions, action => action.StartsWith("ssm:GetParameter", StringComparison.Ordinal));
        var write = Assert.Single(statements, statement => statement.Actions.Contains("s3:PutObject"));
        Assert.Equal(["s3:PutObject"], write.Actions);
        Assert.All(write.Resources, resource => Assert.EndsWith("/staging/*/logs/*", resource, StringComparison.Ordinal));
    }

    [Fact]
    public void The_ledger_table_is_kept_when_the_stack_is_deleted_or_the_table_replaced()
    {
        var ledger = _template.Resources["LedgerTable"];
        Assert.Equal("Retain", ((YamlScalarNode)ledger.Children[new YamlScalarNode("DeletionPolicy")]).Value);
        Assert.Equal("Retain", ((YamlScalarNode)ledger.Children[new YamlScalarNode("UpdateReplacePolicy")]).Value);
    }

    [Fact]
    public void Pass_role_only_for_the_builder_role_and_send_command_only_for_the_two_documents_and_managed_instances()
    {
        var statements = TemplatePolicies.All(_template).ToList();
        // Launch starts the builder, TestImage the test instance from the new image: both with the builder role only.
        var passRole = statements.Where(s => s.Actions.Contains("iam:PassRole")).ToList();
        Assert.Equal(["LaunchFunction", "TestImageFunction"], passRole.Select(s => s.Owner).Order());
        Assert.All(passRole, statement => Assert.Equal(["!GetAtt BuilderRole.Arn"], statement.Resources));

        // WaitForInstance probes the agent with a harmless command, Provision runs the provisioners, ErrorCleanup the
        // error-cleanup-provisioner after a failed Provision, TestImage does both on the test instance.
        var sendCommand = statements.Where(s => s.Actions.Contains("ssm:SendCommand")).GroupBy(s => s.Owner).ToList();
        Assert.Equal(["ErrorCleanupFunction", "ProvisionFunction", "TestImageFunction", "WaitForInstanceFunction"], sendCommand.Select(g => g.Key).Order());
        foreach (var function in sendCommand)
        {
            Assert.Equal(2, function.Count());
            var documents = function.Single(s => s.Resources.All(r => r.Contains(":document/", StringComparison.Ordinal)));
            Assert.Equal(
                ["AWS-RunPowerShellScript", "AWS-RunShellScript"],
                documents.Resources.Select(r => r[(r.LastIndexOf('/') + 1)..]).Order());
            var instances = function.Single(s => s != documents);
            Assert.All(instances.Resources, r => Assert.EndsWith(":instance/*", r, StringComparison.Ordinal));
            Assert.Equal("builder", ((YamlScalarNode)instances.Condition("StringEquals", "ssm:resourceTag/bakery:role")!).Value);
        }
    }

    [Fact]
    public void S3_access_is_only_on_the_templates_bucket_and_dynamodb_only_on_the_ledger()
    {
        foreach (var statement in TemplatePolicies.All(_template).Where(s => s.Effect == "Allow"))
        {
            if (statement.Actions.Any(a => a.StartsWith("s3:", StringComparison.Ordinal)))
            {
                Assert.All(statement.Resources, r => Assert.Contains("TemplatesBucket.Arn", r, StringComparison.Ordinal));
            }

            if (statement.Actions.Any(a => a.StartsWith("dynamodb:", StringComparison.Ordinal)))
            {
                Assert.All(statement.Resources, r => Assert.Contains(r, new[] { "!GetAtt LedgerTable.Arn", "!Sub ${LedgerTable.Arn}/index/recent" }));
            }
        }
    }

    [Fact]
    public void No_security_group_anywhere_opens_an_inbound_port()
    {
        Assert.Empty(_template.ResourcesOfType("AWS::EC2::SecurityGroupIngress"));
        foreach (var group in _template.ResourcesOfType("AWS::EC2::SecurityGroup"))
        {
            Assert.False(_template.PropertiesOf(group).Children.ContainsKey(new YamlScalarNode("SecurityGroupIngress")), group);
        }

        // The builder's group is made at run time by Launch: no function may add an inbound rule to any group.
        Assert.DoesNotContain(TemplatePolicies.All(_template), s => s.Effect == "Allow" && s.Actions.Any(a =>
            a is "ec2:AuthorizeSecurityGroupIngress" or "ec2:ModifySecurityGroupRules" or "ec2:UpdateSecurityGroupRuleDescriptionsIngress"));
    }

    [Fact]
    public void The_bucket_policy_denies_access_without_tls_on_the_bucket_and_its_objects()
    {
        var policy = Assert.Single(_template.ResourcesOfType("AWS::S3::BucketPolicy"));
        Assert.Equal(("!Ref", "TemplatesBucket"), Reference(_template.PropertiesOf(policy)["Bucket"]));
        var deny = Assert.Single(TemplatePolicies.All(_template), s => s.Owner == policy && s.Effect == "Deny");
        Assert.Equal("*", PolicyStatement.Scalar(deny.Node, "Principal"));
        Assert.Equal(["s3:*"], deny.Actions);
        Assert.Equal(["!GetAtt TemplatesBucket.Arn", "!Sub ${TemplatesBucket.Arn}/*"], deny.Resources);
        Assert.Equal("false", ((YamlScalarNode)deny.Condition("Bool", "aws:SecureTransport")!).Value);
    }

    [Fact]
    public void The_templates_bucket_sends_events_blocks_public_access_encrypts_and_expires_staging()
    {
        var bucket = _template.PropertiesOf("TemplatesBucket");
        var eventBridge = (YamlMappingNode)((YamlMappingNode)bucket["NotificationConfiguration"])["EventBridgeConfiguration"];
        Assert.Equal("true", PolicyStatement.Scalar(eventBridge, "EventBridgeEnabled"));
        var block = (YamlMappingNode)bucket["PublicAccessBlockConfiguration"];
        Assert.All(
            ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"],
            key => Assert.Equal("true", PolicyStatement.Scalar(block, key)));
        Assert.Contains("SSEAlgorithm", bucket["BucketEncryption"].ToString(), StringComparison.Ordinal);
        var rules = (YamlSequenceNode)((YamlMappingNode)bucket["LifecycleConfiguration"])["Rules"];
        Assert.Contains(rules.Children.OfType<YamlMappingNode>(), r => PolicyStatement.Scalar(r, "Prefix") == "staging/" && r.Children.ContainsKey(new YamlScalarNode("ExpirationInDays")));
    }

    [Fact]
    public void The_example_rule_for_build_events_is_disabled_and_matches_bakerys_failed_builds_on_the_stacks_bus()
    {
        var rule = _template.PropertiesOf("FailedBuildsRule");
        var pattern = (YamlMappingNode)rule["EventPattern"];

        Assert.Equal("DISABLED", ((YamlScalarNode)rule["State"]).Value);
        Assert.Equal(["bakery"], ((YamlSequenceNode)pattern["source"]).Children.Select(c => ((YamlScalarNode)c).Value));
        Assert.Equal(["Bakery Build Failed"], ((YamlSequenceNode)pattern["detail-type"]).Children.Select(c => ((YamlScalarNode)c).Value));
        Assert.Equal("EventBusName", ((YamlScalarNode)rule["EventBusName"]).Value);
    }

    [Fact]
    public void Uploads_under_builds_ending_in_json_and_the_optional_schedule_start_the_state_machine()
    {
        var machine = _template.StateMachineLogicalId();
        var rule = _template.PropertiesOf("BuildUploadedRule");
        var pattern = (YamlMappingNode)rule["EventPattern"];
        Assert.Equal(["Object Created"], ((YamlSequenceNode)pattern["detail-type"]).Children.Select(c => ((YamlScalarNode)c).Value));
        var keyFilters = ((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)pattern["detail"])["object"])["key"]).Children;
        Assert.Equal(["builds/*.json", "builds/*.pkr.hcl"], keyFilters.Select(f => PolicyStatement.Scalar((YamlMappingNode)f, "wildcard")));
        var target = (YamlMappingNode)((YamlSequenceNode)rule["Targets"]).Children.Single();
        Assert.Equal(("!Ref", machine), Reference(target["Arn"]));
        Assert.Equal("!GetAtt", target["RoleArn"].Tag.Value);

        var schedule = Assert.Single(_template.ResourcesOfType("AWS::Scheduler::Schedule"));
        Assert.Equal("HasSchedule", PolicyStatement.Scalar(_template.Resources[schedule], "Condition"));
        var scheduleTarget = (YamlMappingNode)_template.PropertiesOf(schedule)["Target"];
        Assert.Equal(("!Ref", machine), Reference(scheduleTarget["Arn"]));
        var condition = ((YamlMappingNode)_template.Root["Conditions"])["HasSchedule"].ToString();
        Assert.Contains("ScheduleExpression", condition, StringComparison.Ordinal);
        Assert.Contains("ScheduledBuildKey", condition, StringComparison.Ordinal);
    }

    [Fact]
    public void The_state_machine_logs_and_traces_and_the_ledger_is_on_demand_with_ttl_and_pitr()
    {
        var machine = _template.PropertiesOf(_template.StateMachineLogicalId());
        Assert.Equal("statemachine/bake.asl.json", PolicyStatement.Scalar(machine, "DefinitionUri"));
        Assert.Equal("true", PolicyStatement.Scalar((YamlMappingNode)machine["Tracing"], "Enabled"));
        Assert.NotNull(PolicyStatement.Scalar((YamlMappingNode)machine["Logging"], "Level"));

        var ledger = _template.PropertiesOf("LedgerTable");
        Assert.Equal("PAY_PER_REQUEST", PolicyStatement.Scalar(ledger, "BillingMode"));
        Assert.Equal("true", PolicyStatement.Scalar((YamlMappingNode)ledger["TimeToLiveSpecification"], "Enabled"));
        Assert.Equal("true", PolicyStatement.Scalar((YamlMappingNode)ledger["PointInTimeRecoverySpecification"], "PointInTimeRecoveryEnabled"));
    }

    [Fact]
    public void The_config_parameter_holds_the_outputs_as_json_under_bakery_stack_config()
    {
        var parameter = _template.PropertiesOf(Assert.Single(_template.ResourcesOfType("AWS::SSM::Parameter")));
        Assert.Equal("/bakery/${AWS::StackName}/config", ((YamlScalarNode)parameter["Name"]).Value);
        var value = ((YamlScalarNode)parameter["Value"]).Value!;
        var json = JsonNode.Parse(value.Replace("${", "x", StringComparison.Ordinal).Replace("}\"", "\"", StringComparison.Ordinal))!.AsObject();
        Assert.Equal(["bucket", "ledgerTable", "region", "stateMachineArn"], json.Select(p => p.Key).Order());
    }

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Process)]
    public async Task Cfn_lint_finds_nothing_in_the_template()
    {
        var result = await CliWrap.Cli.Wrap("cfn-lint").WithArguments(["--", RepositoryPaths.Combine("template.yaml")]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
    }

    private static bool IsMutatingEc2(string action) =>
        action.StartsWith("ec2:", StringComparison.Ordinal)
        && !ReadOnlyEc2Prefixes.Any(p => action.StartsWith(p, StringComparison.Ordinal));

    private static (string? Tag, string? Target) Reference(YamlNode node) =>
        node is YamlScalarNode scalar ? (scalar.Tag.IsEmpty ? null : scalar.Tag.Value, scalar.Value) : (null, node.ToString());
}
