using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Bakery.Core.Exceptions;
using Bakery.Core.Ledger;
using Bakery.Core.Steps;
using Bakery.EndToEnd.Tests.Workflow;
using Bakery.Local.Lambda;
using Bakery.Local.StepFunctions;
using Bakery.Testing;
using Xunit.Abstractions;

namespace Bakery.EndToEnd.Tests.Iam;

/// <summary>
/// Every AWS request each function makes during local bakes, judged the way IAM would judge it on AWS against that
/// function's policies in template.yaml (see <see cref="AuthorizationCheck"/>). The bakes: copies to another region
/// with a customer key per region, sharing, encrypt_boot, force_deregister of an older image, a failure after the copy
/// (Teardown removes images and snapshots in both regions), a refused launch, failed provisioning with each kind of
/// error-cleanup-provisioner, and a janitor sweep of a dead build.
/// moto evaluates no policy, so this is where a policy that AWS would refuse shows up; a grant no request needed is a
/// failure too ("too wide").
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(LocalBakeryCollection.Name)]
public sealed class AuthorizationTests(LocalBakery bakery, ITestOutputHelper output)
{
    private const string CopyRegion = "us-west-2";

    /// <summary>The stack parameters of the local stack the policies are expanded for.</summary>
    public static readonly IReadOnlyDictionary<string, string> StackParameters = new Dictionary<string, string>
    {
        ["BuildKmsKeyArns"] = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555,arn:aws:kms:us-west-2:123456789012:key/66666666-7777-8888-9999-000000000000",
        ["JanitorExtraRegions"] = CopyRegion,
    };

    [Fact]
    public async Task Every_request_of_every_function_in_the_bakes_is_allowed_by_its_policies_and_every_grant_is_needed()
    {
        bakery.AwsProxy.StartRecording();
        await BakeEverythingAsync();
        await BakeInlinePowerShellAsync();
        await FailAfterTheCopyAsync();
        await RefusedLaunchAsync();
        await ErrorCleanupAsync();
        await RefusedRegionAsync();
        await RefusedAfterStagingAsync();
        await PublishParameterAsync();
        await DataSourcesAsync();
        await CapacityFallbackAsync();
        await LifecycleAsync();
        await TestImageAsync();
        await JanitorSweepAsync();
        var recorded = bakery.AwsProxy.Recorded;

        var report = await AuthorizationCheck.EvaluateAsync(recorded, StackParameters, RepositoryPaths.Combine("template.yaml"));

        output.WriteLine($"{report.Calls} calls, {report.Requests.Count} authorization requests evaluated ({report.Folder})");
        foreach (var group in report.Requests.GroupBy(r => r!["action"]!.GetValue<string>()).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {group.Key}: {group.Count()}");
        }

        Assert.Empty(report.Unmapped);
        Assert.True(report.Denied.Count == 0, $"{report.Denied.Count} authorization requests denied:\n{string.Join("\n", report.Denied)}");
        Assert.True(report.Unused.Count == 0, $"too wide:\n{string.Join("\n", report.Unused)}");
        Assert.InRange(report.Requests.Count, 200, int.MaxValue);
    }

    private async Task BakeEverythingAsync()
    {
        // force_deregister finds an older image of the same name, made by an earlier bake of this stack.
        await OlderImageAsync(LocalBakery.Region, "bakery-iam-everything");
        await UploadEverythingAsync("builds/iam/");
        var result = await bakery.Runner.RunAsync(new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/builds/iam/everything.json" }.ToJsonString());
        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error}: {result.Cause}");
    }

    /// <summary>A build file passed from the console (kept under inline/), PowerShell only, in a named subnet, with a manifest.</summary>
    private async Task BakeInlinePowerShellAsync()
    {
        var buildFile = JsonNode.Parse(await File.ReadAllTextAsync(Resource("powershell.json")))!;
        var subnet = (await bakery.Ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest())).Subnets[0].SubnetId;
        var result = await bakery.Runner.RunAsync(new JsonObject { ["buildFile"] = buildFile, ["vars"] = new JsonObject { ["subnet"] = subnet } }.ToJsonString());
        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error}: {result.Cause}");
    }

    /// <summary>Prepare refuses a build for another region than the stack's (and records why in the ledger).</summary>
    private async Task RefusedRegionAsync()
    {
        var buildFile = JsonNode.Parse(await File.ReadAllTextAsync(Resource("powershell.json")))!;
        buildFile["builders"]![0]!["region"] = "eu-west-1";
        var result = await bakery.Runner.RunAsync(new JsonObject { ["buildFile"] = buildFile }.ToJsonString());
        Assert.Equal(nameof(BuildFileInvalid), result.Error);
        Assert.Contains("builds in us-east-1 only", result.Cause, StringComparison.Ordinal);
    }

    /// <summary>
    /// publish_parameter in both regions, then a copy region that refuses (SSM's 100 versions, the oldest labelled): the
    /// build region's new parameter is deleted again.
    /// </summary>
    /// <summary>
    /// Three bakes of examples/golden-lifecycle: the family tag, deprecation and protection of each new AMI; the second
    /// moves the protection and deregisters the first with its snapshots in both regions (a launch template exists, naming
    /// neither); the third disables the second.
    /// </summary>
    private async Task LifecycleAsync()
    {
        await bakery.UploadAsync(RepositoryPaths.Combine("examples", "golden-lifecycle"), "builds/iam-lifecycle/");
        await bakery.Ec2.CreateLaunchTemplateAsync(new CreateLaunchTemplateRequest
        {
            LaunchTemplateName = "bakery-iam-lifecycle",
            LaunchTemplateData = new RequestLaunchTemplateData { ImageId = "ami-12345678" },
        });
        foreach (var (bake, action, protect) in new[] { ("1", "deregister", true), ("2", "deregister", true), ("3", "disable", false) })
        {
            var input = new JsonObject
            {
                ["template"] = $"s3://{LocalBakery.Bucket}/builds/iam-lifecycle/golden.json",
                ["vars"] = new JsonObject { ["image_name"] = $"bakery-iam-lifecycle-{bake}" },
                ["bakery"] = new JsonObject
                {
                    ["lifecycle"] = new JsonObject
                    {
                        ["family"] = "iam/{{build_name}}",
                        ["keep"] = 1,
                        ["action"] = action,
                        ["protect_newest"] = protect,
                        ["deprecate_after_days"] = 30,
                    },
                },
            };
            var result = await bakery.Runner.RunAsync(input.ToJsonString());
            Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error}: {result.Cause}");
            Assert.False(result.Output!.Value.TryGetProperty("lifecycleError", out var error), $"Lifecycle failed: {error}");
            Assert.DoesNotContain("\"Failed\"", result.Output!.Value.GetProperty("lifecycle").GetRawText(), StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// examples/tested-nginx twice: its test passes (the test instance from the new image, the commands through SSM, the
    /// verdict tag, the instance terminated); then a test that fails with an output SSM cut (its tail looked for under
    /// staging/.../logs/) and on_failure tag (the image and its snapshots handed over, bakery:managed=false).
    /// </summary>
    private async Task TestImageAsync()
    {
        var folder = RepositoryPaths.Combine("examples", "tested-nginx");
        await bakery.UploadAsync(folder, "builds/iam-tested/");
        await bakery.UploadAsync(Path.Combine(folder, "tests"), "builds/iam-tested/tests/");
        var passed = await bakery.Runner.RunAsync(new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/builds/iam-tested/web.json" }.ToJsonString());
        Assert.True(passed.Status == ExecutionStatus.Succeeded, $"{passed.Status}: {passed.Error}: {passed.Cause}");

        var failed = await bakery.Runner.RunAsync(new JsonObject
        {
            ["template"] = $"s3://{LocalBakery.Bucket}/builds/iam-tested/web.json",
            ["bakery"] = new JsonObject
            {
                ["test_image"] = new JsonObject
                {
                    ["provisioners"] = new JsonArray(
                        new JsonObject
                        {
                            // A PowerShell test command too: TestImage may send either Run Command document.
                            ["type"] = "powershell",
                            ["inline"] = new JsonArray("Write-Output 'the image answers PowerShell'"),
                        },
                        new JsonObject
                        {
                            ["type"] = "shell",
                            ["script"] = "tests/nginx_config.sh",
                            ["environment_vars"] = new JsonArray($"{FailingCommands.Marker}=1"),
                        }),
                    ["on_failure"] = "tag",
                },
            },
        }.ToJsonString());
        Assert.Equal(nameof(ImageTestFailed), failed.Error);
    }

    private async Task PublishParameterAsync()
    {
        var folder = RepositoryPaths.Combine("examples", "golden-parameter");
        await bakery.UploadAsync(folder, "builds/iam-publish/");
        JsonObject Input(string imageName, string parameter) => new()
        {
            ["template"] = $"s3://{LocalBakery.Bucket}/builds/iam-publish/golden.json",
            ["vars"] = new JsonObject { ["image_name"] = imageName },
            ["bakery"] = new JsonObject { ["publish_parameter"] = new JsonObject { ["name"] = parameter } },
        };

        var published = await bakery.Runner.RunAsync(Input("bakery-iam-publish", "/bakery-ami/iam/{{build_name}}").ToJsonString());
        Assert.True(published.Status == ExecutionStatus.Succeeded, $"{published.Status}: {published.Error}: {published.Cause}");

        using (var west = Bakery.Testing.Moto.StandInClients.Ssm(CopyRegion))
        {
            for (var version = 1; version <= 100; version++)
            {
                await west.PutParameterAsync(new Amazon.SimpleSystemsManagement.Model.PutParameterRequest
                {
                    Name = "/bakery-ami/iam-refused/web",
                    Value = "ami-0fedcba9876543210",
                    Type = Amazon.SimpleSystemsManagement.ParameterType.String,
                    DataType = "aws:ec2:image",
                    Overwrite = version > 1,
                });
            }

            await west.LabelParameterVersionAsync(new Amazon.SimpleSystemsManagement.Model.LabelParameterVersionRequest
            {
                Name = "/bakery-ami/iam-refused/web",
                ParameterVersion = 1,
                Labels = ["known-good"],
            });
        }

        var refused = await bakery.Runner.RunAsync(Input("bakery-iam-publish-refused", "/bakery-ami/iam-refused/{{build_name}}").ToJsonString());
        Assert.Equal(nameof(PublishParameterFailed), refused.Error);
        Assert.Contains("deleted (this build created it)", refused.Cause, StringComparison.Ordinal);
    }

    /// <summary>An HCL2 template reading a parameter and a secret (data sources) inside the stack's default grants.</summary>
    private async Task DataSourcesAsync()
    {
        using (var ssm = Bakery.Testing.Moto.StandInClients.Ssm(LocalBakery.Region))
        {
            await ssm.PutParameterAsync(new Amazon.SimpleSystemsManagement.Model.PutParameterRequest
            {
                Name = "/bakery/data/iam/release",
                Value = "1.2.3",
                Type = Amazon.SimpleSystemsManagement.ParameterType.String,
                Overwrite = true,
            });
        }

        await Bakery.Testing.Moto.StandInJson.CallAsync(Bakery.Core.Aws.Json.AwsJsonService.SecretsManager, "CreateSecret",
            new JsonObject { ["Name"] = "bakery/data/iam/token", ["SecretString"] = "{\"token\":\"iam-data-token\"}" });
        await bakery.UploadAsync(Resource("data"), "builds/iam-data/");
        var result = await bakery.Runner.RunAsync(new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/builds/iam-data/data.pkr.hcl" }.ToJsonString());
        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error}: {result.Cause}");
    }

    private async Task UploadEverythingAsync(string prefix)
    {
        await bakery.UploadAsync(Resource("everything"), prefix);
        await bakery.UploadAsync(Path.Combine(Resource("everything"), "files"), prefix + "files/");
    }

    /// <summary>
    /// A failure after the copy keeps the image and its copy for a resume (Teardown removes the rest), and the resume
    /// (Prepare reads the failed record, checks the kept images in both regions, claims it again) finishes the build;
    /// then CreateImage doing its work and timing out: Teardown finds that image by its tags and removes it with its
    /// snapshot (nothing is kept: the state before CreateImage has no image).
    /// </summary>
    private async Task FailAfterTheCopyAsync()
    {
        await UploadEverythingAsync("builds/iam-failing/");
        var vars = new JsonObject { ["image_name"] = "bakery-iam-failing" };
        bakery.Lambda.SetFaults(LocalFaultPlan.Parse("ShareImage:ShareFailed"));
        StateMachineRunResult failed;
        try
        {
            failed = await bakery.Runner.RunAsync(new JsonObject
            {
                ["template"] = $"s3://{LocalBakery.Bucket}/builds/iam-failing/everything.json",
                ["vars"] = vars.DeepClone(),
            }.ToJsonString());
            Assert.Equal(ExecutionStatus.Failed, failed.Status);
            Assert.Contains(failed.Events, e => e.Type == "StateExited" && e.StateName == "Teardown");
        }
        finally
        {
            bakery.Lambda.SetFaults(LocalFaultPlan.None);
        }

        var buildId = failed.Events.First(e => e.Type == "StateExited" && e.StateName == "Prepare").Output!.Value.GetProperty("buildId").GetString()!;
        var resumed = await bakery.Runner.RunAsync(new JsonObject { ["resume"] = buildId, ["vars"] = vars.DeepClone() }.ToJsonString());
        Assert.True(resumed.Status == ExecutionStatus.Succeeded, $"{resumed.Status}: {resumed.Error}: {resumed.Cause}");
        Assert.DoesNotContain(resumed.Events, e => e.Type == "StateEntered" && e.StateName == StepNames.CreateImage);

        await UploadEverythingAsync("builds/iam-failing-image/");
        bakery.Lambda.SetFaults(LocalFaultPlan.Of(new LocalFault { Function = "CreateImage", ErrorType = LocalFault.TimeoutErrorType }));
        try
        {
            var result = await bakery.Runner.RunAsync(new JsonObject
            {
                ["template"] = $"s3://{LocalBakery.Bucket}/builds/iam-failing-image/everything.json",
                ["vars"] = new JsonObject { ["image_name"] = "bakery-iam-failing-image" },
            }.ToJsonString());
            Assert.Equal(ExecutionStatus.Failed, result.Status);
            Assert.Contains(result.Events, e => e.Type == "StateExited" && e.StateName == StepNames.Teardown);
        }
        finally
        {
            bakery.Lambda.SetFaults(LocalFaultPlan.None);
        }
    }

    /// <summary>
    /// A file refused after its inline scripts were staged: its state would pass Step Functions' 256 KiB, so Prepare
    /// removes what it staged (ListObjectsV2, DeleteObjects) before it refuses.
    /// </summary>
    private async Task RefusedAfterStagingAsync()
    {
        var padding = new string('x', 30_000);
        var provisioners = new JsonArray();
        for (var i = 0; i < 10; i++)
        {
            provisioners.Add(new JsonObject { ["type"] = "shell", ["inline"] = new JsonArray("true"), ["environment_vars"] = new JsonArray($"PAD={padding}") });
        }

        var buildFile = new JsonObject
        {
            ["builders"] = new JsonArray(new JsonObject
            {
                ["type"] = "amazon-ebs",
                ["region"] = LocalBakery.Region,
                ["source_ami"] = "ami-cd0f5cb6",
                ["instance_type"] = "t3.micro",
                ["ami_name"] = "bakery-iam-too-big-{{timestamp}}",
            }),
            ["provisioners"] = provisioners,
        };
        var result = await bakery.Runner.RunAsync(new JsonObject { ["buildFile"] = buildFile }.ToJsonString());
        Assert.Equal(nameof(BuildFileInvalid), result.Error);
        Assert.Contains("too large for one execution", result.Cause, StringComparison.Ordinal);
    }

    /// <summary>
    /// examples/spot-capacity with no capacity for any spot type: spot requests (tagged, with the service-linked role
    /// EC2 may create), then the on-demand fallback launches.
    /// </summary>
    private async Task CapacityFallbackAsync()
    {
        await bakery.UploadAsync(RepositoryPaths.Combine("examples", "spot-capacity"), "builds/iam-capacity/");
        bakery.AwsProxy.SetCapacity(Bakery.Local.Aws.Ec2CapacityPlan.Parse("t3.micro:spot,t3a.micro:spot,t2.micro:spot"));
        try
        {
            var result = await bakery.Runner.RunAsync(new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/builds/iam-capacity/spot.json" }.ToJsonString());
            Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error}: {result.Cause}");
        }
        finally
        {
            bakery.AwsProxy.SetCapacity(Bakery.Local.Aws.Ec2CapacityPlan.None);
        }
    }

    private async Task RefusedLaunchAsync()
    {
        await bakery.UploadAsync(Path.Combine(AppContext.BaseDirectory, "resources", "Workflow", "failing-launch"), "builds/iam-refused/");
        var result = await bakery.Runner.RunAsync(new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/builds/iam-refused/failing_launch.json" }.ToJsonString());
        Assert.Equal(nameof(LaunchFailed), result.Error);
    }

    /// <summary>
    /// Provisioning fails in three builds of one file (one execution), so ErrorCleanup runs every kind of command it can
    /// send: a folder upload, a download and a PowerShell command; then Teardown.
    /// </summary>
    private async Task ErrorCleanupAsync()
    {
        await bakery.UploadAsync(Resource("cleanup"), "builds/iam-cleanup/");
        await bakery.UploadAsync(Path.Combine(Resource("cleanup"), "diagnostics"), "builds/iam-cleanup/diagnostics/");
        var result = await bakery.Runner.RunAsync(new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/builds/iam-cleanup/cleanup.pkr.hcl" }.ToJsonString());
        Assert.Equal(nameof(ProvisionerFailed), result.Error);
        var cleaned = result.Events.Where(e => e.Type == "StateExited" && e.StateName == StepNames.ErrorCleanup)
            .Select(e => e.Output!.Value.GetProperty("errorCleanup"))
            .Count(cleanup => cleanup.GetProperty("provisioning").TryGetProperty("finished", out var finished) && finished.GetBoolean());
        Assert.True(cleaned == 3, $"{cleaned} of 3 error-cleanup-provisioners finished: {result.Cause}");
    }

    private async Task JanitorSweepAsync()
    {
        // A build that died after CreateImage and is long past its deadline: its instance, group, image, snapshots and
        // staged files are the janitor's, in both regions.
        var buildId = $"dead-{Guid.NewGuid():N}"[..20];
        var ledger = new DynamoDbBuildLedger(bakery.DynamoDb, LocalBakery.LedgerTable, TimeProvider.System, new Bakery.Core.Aws.AwsRetry(TimeProvider.System));
        await ledger.TryClaimAsync(
            new BuildClaim { BuildId = buildId, Identity = buildId, Source = "inline", Trigger = "Console", DeadlineEpochSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60 },
            CancellationToken.None);
        foreach (var region in new[] { LocalBakery.Region, CopyRegion })
        {
            using var ec2 = Ec2(region);
            var tags = new List<Tag> { new("bakery:managed", "true"), new("bakery:build-id", buildId), new("bakery:role", "builder") };
            var run = await ec2.RunInstancesAsync(new RunInstancesRequest
            {
                ImageId = "ami-cd0f5cb6",
                InstanceType = InstanceType.T3Micro,
                MinCount = 1,
                MaxCount = 1,
                TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Instance, Tags = tags }],
            });
            var image = await ec2.CreateImageAsync(new CreateImageRequest
            {
                InstanceId = run.Reservation.Instances[0].InstanceId,
                Name = $"half-made-{buildId}",
                TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Image, Tags = tags[..2] }],
            });
            await TagSnapshotsAsync(ec2, image.ImageId, tags[..2]);
            await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest
            {
                GroupName = $"bakery_{buildId}_{region}",
                Description = "temporary",
                TagSpecifications = [new TagSpecification { ResourceType = ResourceType.SecurityGroup, Tags = tags[..2] }],
            });
        }

        await bakery.S3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = LocalBakery.Bucket, Key = $"staging/{buildId}/files/a.sh", ContentBody = "a" });
        var answer = await bakery.InvokeAsync("JanitorFunction", $"{{\"regions\":[\"{LocalBakery.Region}\",\"{CopyRegion}\"]}}");
        Assert.Contains(buildId, answer, StringComparison.Ordinal);
    }

    /// <summary>An image of this stack (tagged bakery:managed, snapshots too) named <paramref name="name"/>.</summary>
    private static async Task OlderImageAsync(string region, string name)
    {
        using var ec2 = Ec2(region);
        var tags = new List<Tag> { new("bakery:managed", "true"), new("bakery:build-id", "older-build") };
        var run = await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = "ami-cd0f5cb6", InstanceType = InstanceType.T3Micro, MinCount = 1, MaxCount = 1 });
        var image = await ec2.CreateImageAsync(new CreateImageRequest
        {
            InstanceId = run.Reservation.Instances[0].InstanceId,
            Name = name,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Image, Tags = tags }],
        });
        await TagSnapshotsAsync(ec2, image.ImageId, tags);
        await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [run.Reservation.Instances[0].InstanceId] });
    }

    private static async Task TagSnapshotsAsync(IAmazonEC2 ec2, string imageId, List<Tag> tags)
    {
        var described = await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] });
        var snapshots = described.Images.SelectMany(i => i.BlockDeviceMappings ?? []).Select(m => m.Ebs?.SnapshotId).OfType<string>().ToList();
        if (snapshots.Count > 0)
        {
            await ec2.CreateTagsAsync(new CreateTagsRequest { Resources = snapshots, Tags = tags });
        }
    }

    private static AmazonEC2Client Ec2(string region) => new(Amazon.RegionEndpoint.GetBySystemName(region));

    private static string Resource(string name) => Path.Combine(AppContext.BaseDirectory, "resources", "Iam", name);
}
