using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Janitor;
using Bakery.Core.Ledger;
using Bakery.Core.Aws;
using Bakery.Core.Steps;

namespace Bakery.Integration.Tests.Permissions;

/// <summary>
/// Bakes that between them take every path worth a permission: success with every option that calls AWS
/// (source_ami_filter, var file, sensitive values, scripts large and small, folder and file uploads, a download,
/// user_data_file, ena/sriov, a copy to another region, sharing, the manifest), force_deregister with encrypt_boot
/// and a failure after the copy (Teardown removes images and snapshots in both regions), a refused launch (Launch
/// removes its own group), and a janitor sweep of a dead build. Each returns the functions with their recorded calls.
/// </summary>
internal static class PermissionRuns
{
    public const string CopyRegion = "us-west-2";
    private const string BakeSteps = "Launch,WaitForInstance,Provision,StopInstance,CreateImage,TagImage,CopyImage,ShareImage,Teardown";

    public static async Task<IReadOnlyList<AwsCall>> AllAsync(Uri motoEndpoint)
    {
        var calls = new List<AwsCall>();
        foreach (var run in new Func<Uri, Task<IReadOnlyList<AwsCall>>>[] { SuccessAsync, ForcedEncryptedFailingAsync, RefusedLaunchAsync, PublishedParameterAsync, LifecycleAsync, TestedImageAsync, ErrorCleanupAsync, JanitorAsync })
        {
            calls.AddRange(await run(motoEndpoint));
        }

        return calls;
    }

    public static async Task<IReadOnlyList<AwsCall>> SuccessAsync(Uri motoEndpoint)
    {
        await using var functions = await RecordedFunctions.CreateAsync(motoEndpoint);
        var build = new JsonObject
        {
            ["variables"] = new JsonObject { ["token"] = "" },
            ["sensitive-variables"] = new JsonArray("token"),
            ["builders"] = new JsonArray(new JsonObject
            {
                ["type"] = "amazon-ebs",
                ["region"] = RecordedFunctions.Region,
                ["source_ami_filter"] = new JsonObject
                {
                    ["filters"] = new JsonObject { ["name"] = "*" },
                    ["owners"] = new JsonArray("amazon"),
                    ["most_recent"] = true,
                },
                ["instance_type"] = "t3.micro",
                // A sensitive value in the name: the steps that act with it read the rendered plan.
                ["ami_name"] = "bakery-permissions-{{user `token`}}-{{timestamp}}",
                ["ami_regions"] = new JsonArray(CopyRegion),
                ["ami_users"] = new JsonArray("123456789012"),
                ["snapshot_users"] = new JsonArray("123456789012"),
                ["ena_support"] = true,
                ["sriov_support"] = true,
                ["user_data_file"] = "user-data.sh",
                ["tags"] = new JsonObject { ["Name"] = "bakery-permissions" },
                ["snapshot_tags"] = new JsonObject { ["kind"] = "snapshot" },
            }),
            ["provisioners"] = new JsonArray(
                new JsonObject { ["type"] = "shell", ["script"] = "setup.sh", ["environment_vars"] = new JsonArray("TOKEN={{user `token`}}") },
                new JsonObject { ["type"] = "shell", ["script"] = "large.sh" },
                new JsonObject { ["type"] = "file", ["source"] = "conf/", ["destination"] = "/tmp/conf" },
                new JsonObject { ["type"] = "file", ["source"] = "conf", ["destination"] = "/etc" },
                new JsonObject { ["type"] = "file", ["source"] = "motd.txt", ["destination"] = "/tmp/motd.txt" },
                new JsonObject { ["type"] = "file", ["direction"] = "download", ["source"] = "/var/log/cloud-init.log", ["destination"] = "logs/" }),
            ["post-processors"] = new JsonArray(new JsonObject { ["type"] = "manifest" }),
        };
        await functions.PutAsync("builds/full/build.json", build.ToJsonString());
        await functions.PutAsync("builds/full/build.vars.json", """{"token": "s3cr3t-token"}""");
        await functions.PutAsync("builds/full/setup.sh", "#!/bin/sh\necho setup\n");
        await functions.PutAsync("builds/full/large.sh", "#!/bin/sh\n" + string.Concat(Enumerable.Repeat("echo padding-the-script-past-the-inline-limit\n", 600)));
        await functions.PutAsync("builds/full/conf/a.conf", "a=1\n");
        await functions.PutAsync("builds/full/conf/b.conf", "b=2\n");
        await functions.PutAsync("builds/full/motd.txt", "baked by Bakery\n");
        await functions.PutAsync("builds/full/user-data.sh", "#!/bin/sh\necho hello\n");

        var prepared = await functions.PrepareUploadAsync("builds/full/build.json");
        var results = new List<BakeState>();
        foreach (var buildState in prepared.Builds ?? throw new InvalidOperationException($"Prepare made no builds: {functions.Log}"))
        {
            results.Add(await functions.RunAsync(buildState, BakeSteps.Split(',')));
        }

        await functions.RunOnceAsync(StepNames.Publish, prepared with { Results = results });
        return functions.Calls;
    }

    public static async Task<IReadOnlyList<AwsCall>> ForcedEncryptedFailingAsync(Uri motoEndpoint)
    {
        await using var functions = await RecordedFunctions.CreateAsync(motoEndpoint);
        var amiName = $"bakery-forced-{Guid.NewGuid():N}";
        await MakeImageAsync(functions.Setup.Ec2(RecordedFunctions.Region), amiName);
        // An older copy in ami_regions too: force_deregister removes it there, as Packer does.
        await MakeImageAsync(functions.Setup.Ec2(CopyRegion), amiName);
        var build = new JsonObject
        {
            ["builders"] = new JsonArray(new JsonObject
            {
                ["type"] = "amazon-ebs",
                ["region"] = RecordedFunctions.Region,
                ["source_ami"] = "ami-cd0f5cb6",
                ["instance_type"] = "t3.micro",
                ["ami_name"] = amiName,
                ["force_deregister"] = true,
                ["force_delete_snapshot"] = true,
                ["encrypt_boot"] = true,
                ["ami_regions"] = new JsonArray(CopyRegion),
            }),
            ["provisioners"] = new JsonArray(new JsonObject { ["type"] = "shell", ["inline"] = new JsonArray("echo inline") }),
        };

        // The console's inline shape: Prepare keeps the build file under inline/.
        var prepared = await functions.PrepareAsync(new JsonObject { ["buildFile"] = build }.ToJsonString());
        var results = new List<BakeState>();
        foreach (var buildState in prepared.Builds ?? throw new InvalidOperationException($"Prepare made no builds: {functions.Log}"))
        {
            var stopped = await functions.RunAsync(buildState, StepNames.Launch, StepNames.WaitForInstance, StepNames.Provision, StepNames.StopInstance);
            var copied = await functions.RunAsync(stopped, StepNames.CreateImage, StepNames.TagImage, StepNames.CopyImage);
            // Teardown as the Catch hands it a state without the image (CreateImage did its work and timed out): it finds
            // the image by its tags and removes it. Handed the copied state, it would keep the image for a resume.
            _ = copied;
            var failed = stopped with { Error = new ErrorInfo { Error = "Sandbox.Timedout", Cause = "injected by the permission run" } };
            results.Add(await functions.RunAsync(StepNames.Teardown, failed));
        }

        await functions.RunOnceAsync(StepNames.Publish, prepared with { Results = results });
        return functions.Calls;
    }

    /// <summary>
    /// The golden-parameter example: its AMI id published in both regions, then a build whose copy region refuses
    /// (Parameter Store's 100 versions, the oldest labelled): the build region's new parameter is removed again.
    /// </summary>
    public static async Task<IReadOnlyList<AwsCall>> PublishedParameterAsync(Uri motoEndpoint)
    {
        await using var functions = await RecordedFunctions.CreateAsync(motoEndpoint);
        var run = Guid.NewGuid().ToString("N");
        var example = Bakery.Testing.RepositoryPaths.Combine("examples", "golden-parameter");
        var settings = new JsonObject { ["publish_parameter"] = new JsonObject { ["name"] = $"{RecordedFunctions.ParameterPrefix}{run}/{{{{build_name}}}}" } };
        await functions.PutAsync("builds/golden/golden.bakery.json", settings.ToJsonString());
        await functions.PutAsync("builds/golden/golden.json", await GoldenBuildFileAsync(example, $"golden-web-{run}"));

        var prepared = await functions.PrepareUploadAsync("builds/golden/golden.json");
        var steps = BakeSteps.Replace(",Teardown", ",PublishParameter,Teardown", StringComparison.Ordinal).Split(',');
        await functions.RunAsync(prepared.Builds!.Single(), steps);

        var refusedName = $"{RecordedFunctions.ParameterPrefix}{run}-refused/web";
        var west = functions.Setup.Ssm(CopyRegion);
        for (var version = 1; version <= 100; version++)
        {
            await west.PutParameterAsync(new Amazon.SimpleSystemsManagement.Model.PutParameterRequest
            {
                Name = refusedName,
                Value = "ami-0fedcba9876543210",
                Type = Amazon.SimpleSystemsManagement.ParameterType.String,
                DataType = "aws:ec2:image",
                Overwrite = version > 1,
            });
        }

        await west.LabelParameterVersionAsync(new Amazon.SimpleSystemsManagement.Model.LabelParameterVersionRequest
        {
            Name = refusedName,
            ParameterVersion = 1,
            Labels = ["known-good"],
        });
        settings["publish_parameter"]!["name"] = $"{RecordedFunctions.ParameterPrefix}{run}-refused/{{{{build_name}}}}";
        await functions.PutAsync("builds/golden-refused/golden.bakery.json", settings.ToJsonString());
        await functions.PutAsync("builds/golden-refused/golden.json", await GoldenBuildFileAsync(example, $"golden-web-{run}-refused"));
        var refused = await functions.PrepareUploadAsync("builds/golden-refused/golden.json");
        var shared = await functions.RunAsync(refused.Builds!.Single(), BakeSteps.Replace(",Teardown", "", StringComparison.Ordinal).Split(','));
        await Assert.ThrowsAsync<Bakery.Core.Exceptions.PublishParameterFailed>(() => functions.RunOnceAsync(StepNames.PublishParameter, shared));
        await functions.RunAsync(StepNames.Teardown, shared with { Error = new ErrorInfo { Error = nameof(PublishParameterFailed), Cause = "refused" } });
        return functions.Calls;
    }

    /// <summary>
    /// A golden example's build file (golden.json) with its own image name: its ami_name ends in {{timestamp}}, so two
    /// bakes within one second would otherwise share a name, and Prepare rightly refuses the second.
    /// </summary>
    private static async Task<string> GoldenBuildFileAsync(string example, string imageName)
    {
        var buildFile = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(example, "golden.json")))!;
        buildFile["variables"]!["image_name"] = imageName;
        return buildFile.ToJsonString();
    }

    /// <summary>
    /// Three bakes of examples/golden-lifecycle, each followed by Lifecycle: the first joins its family, is deprecated
    /// and protected; the second moves the protection and deregisters the first with its snapshots (past a launch
    /// template that uses neither); the third disables the second.
    /// </summary>
    public static async Task<IReadOnlyList<AwsCall>> LifecycleAsync(Uri motoEndpoint)
    {
        await using var functions = await RecordedFunctions.CreateAsync(motoEndpoint);
        var run = Guid.NewGuid().ToString("N");
        var example = Bakery.Testing.RepositoryPaths.Combine("examples", "golden-lifecycle");
        await functions.Setup.Ec2(RecordedFunctions.Region).CreateLaunchTemplateAsync(new CreateLaunchTemplateRequest
        {
            LaunchTemplateName = $"bakery-permissions-{run}",
            LaunchTemplateData = new RequestLaunchTemplateData { ImageId = "ami-12345678" },
        });
        JsonObject Settings(string action, bool protect) => new()
        {
            ["lifecycle"] = new JsonObject
            {
                ["family"] = $"permissions-{run}/{{{{build_name}}}}",
                ["keep"] = 1,
                ["action"] = action,
                ["protect_newest"] = protect,
                ["deprecate_after_days"] = 30,
            },
        };

        foreach (var (bake, settings) in new[] { ("1", Settings("deregister", true)), ("2", Settings("deregister", true)), ("3", Settings("disable", false)) })
        {
            var folder = $"builds/lifecycle-{run}-{bake}/";
            await functions.PutAsync($"{folder}golden.bakery.json", settings.ToJsonString());
            await functions.PutAsync($"{folder}golden.json", await GoldenBuildFileAsync(example, $"bakery-permissions-lifecycle-{run}-{bake}"));
            var prepared = await functions.PrepareUploadAsync($"{folder}golden.json");
            var built = await functions.RunAsync(prepared.Builds!.Single(), BakeSteps.Split(','));
            var after = await functions.RunOnceAsync(StepNames.Lifecycle, prepared with { Builds = null, Results = [built] });
            Assert.DoesNotContain(after.LifecycleReport, line => line.Kind == Bakery.Core.Lifecycle.LifecycleOutcomeKind.Failed);
        }

        return functions.Calls;
    }

    /// <summary>
    /// examples/tested-nginx: a test instance from the new image, the test commands (an inline one and a script staged
    /// beside the build file) through SSM, the verdict tag on the image, the test instance terminated, then Teardown.
    /// </summary>
    public static async Task<IReadOnlyList<AwsCall>> TestedImageAsync(Uri motoEndpoint)
    {
        await using var functions = await RecordedFunctions.CreateAsync(motoEndpoint);
        var run = Guid.NewGuid().ToString("N");
        var example = Bakery.Testing.RepositoryPaths.Combine("examples", "tested-nginx");
        var folder = $"builds/tested-{run}/";
        foreach (var file in new[] { "web.json", "web.bakery.json", "install_nginx.sh", "tests/nginx_config.sh" })
        {
            await functions.PutAsync(folder + file, await File.ReadAllTextAsync(Path.Combine(example, file)));
        }

        var prepared = await functions.PrepareUploadAsync($"{folder}web.json");
        var tested = await functions.RunAsync(prepared.Builds!.Single(), BakeSteps.Replace(",TagImage", ",TestImage,TagImage", StringComparison.Ordinal).Split(','));
        if (tested.Test?.Passed != true)
        {
            throw new InvalidOperationException($"The test of the tested-nginx image did not pass: {tested.Test?.Summary} {functions.Log}");
        }

        return functions.Calls;
    }

    /// <summary>
    /// A build whose Provision failed, handed to ErrorCleanup as the workflow's Catch hands it (moto runs no script, so
    /// the failure is the Catch's error on the state): its error-cleanup-provisioner uploads a folder (the transfer
    /// list, the staged folder's listing) to a destination naming a sensitive variable (the rendered plan), then Teardown.
    /// </summary>
    public static async Task<IReadOnlyList<AwsCall>> ErrorCleanupAsync(Uri motoEndpoint)
    {
        await using var functions = await RecordedFunctions.CreateAsync(motoEndpoint);
        var folder = $"builds/cleanup-{Guid.NewGuid():N}/";
        var build = new JsonObject
        {
            ["variables"] = new JsonObject { ["token"] = "" },
            ["sensitive-variables"] = new JsonArray("token"),
            ["builders"] = new JsonArray(new JsonObject
            {
                ["type"] = "amazon-ebs",
                ["region"] = RecordedFunctions.Region,
                ["source_ami"] = "ami-cd0f5cb6",
                ["instance_type"] = "t3.micro",
                ["ami_name"] = "bakery-cleanup-{{timestamp}}",
            }),
            ["provisioners"] = new JsonArray(new JsonObject { ["type"] = "shell", ["inline"] = new JsonArray("echo {{user `token`}} > /tmp/token", "exit 1") }),
            ["error-cleanup-provisioner"] = new JsonObject { ["type"] = "file", ["source"] = "diagnostics/", ["destination"] = "/tmp/diagnostics-{{user `token`}}" },
        };
        await functions.PutAsync($"{folder}build.json", build.ToJsonString());
        await functions.PutAsync($"{folder}build.vars.json", """{"token": "s3cr3t-token"}""");
        await functions.PutAsync($"{folder}diagnostics/collect.sh", "#!/bin/sh\njournalctl -b > /tmp/journal.txt\n");
        await functions.PutAsync($"{folder}diagnostics/README", "what the cleanup leaves for a person to read\n");

        var prepared = await functions.PrepareUploadAsync($"{folder}build.json");
        var provisioned = await functions.RunAsync(prepared.Builds!.Single(), StepNames.Launch, StepNames.WaitForInstance, StepNames.Provision);
        var failed = provisioned with { Error = new ErrorInfo { Error = nameof(ProvisionerFailed), Cause = "injected by the permission run: moto runs no script" } };
        var cleaned = await functions.RunAsync(StepNames.ErrorCleanup, failed);
        if (cleaned.ErrorCleanup is not { Provisioning.Finished: true, Failure: null })
        {
            throw new InvalidOperationException($"The error-cleanup-provisioner did not finish: {cleaned.ErrorCleanup?.Failure} {functions.Log}");
        }

        await functions.RunAsync(StepNames.Teardown, cleaned);
        return functions.Calls;
    }

    public static async Task<IReadOnlyList<AwsCall>> RefusedLaunchAsync(Uri motoEndpoint)
    {
        await using var functions = await RecordedFunctions.CreateAsync(motoEndpoint);
        var subnets = await functions.Setup.Ec2(RecordedFunctions.Region).DescribeSubnetsAsync(new DescribeSubnetsRequest());
        var build = new JsonObject
        {
            ["builders"] = new JsonArray(new JsonObject
            {
                ["type"] = "amazon-ebs",
                ["region"] = RecordedFunctions.Region,
                ["source_ami"] = "ami-cd0f5cb6",
                ["instance_type"] = "t3.micro",
                ["ami_name"] = $"bakery-refused-{Guid.NewGuid():N}",
                ["subnet_id"] = subnets.Subnets[0].SubnetId,
                ["iam_instance_profile"] = "no-such-profile",
            }),
            ["provisioners"] = new JsonArray(new JsonObject { ["type"] = "shell", ["inline"] = new JsonArray("true") }),
        };
        await functions.PutAsync("builds/refused/build.json", build.ToJsonString());
        // A build file that does not validate: Prepare records the failure in the ledger itself.
        await functions.PutAsync("builds/refused/broken.json", """{"builders": [{"type": "amazon-ebs"}]}""");
        await Assert.ThrowsAsync<Bakery.Core.Exceptions.BuildFileInvalid>(() => functions.PrepareUploadAsync("builds/refused/broken.json"));

        // Refused after staging its inline scripts (the state would pass Step Functions' 256 KiB): Prepare removes them.
        var padding = new string('x', 30_000);
        var tooBig = new JsonObject
        {
            ["builders"] = new JsonArray(new JsonObject
            {
                ["type"] = "amazon-ebs",
                ["region"] = RecordedFunctions.Region,
                ["source_ami"] = "ami-cd0f5cb6",
                ["instance_type"] = "t3.micro",
                ["ami_name"] = $"bakery-too-big-{Guid.NewGuid():N}",
            }),
            ["provisioners"] = new JsonArray([.. Enumerable.Range(0, 10).Select(_ => (JsonNode)new JsonObject
            {
                ["type"] = "shell", ["inline"] = new JsonArray("true"), ["environment_vars"] = new JsonArray($"PAD={padding}"),
            })]),
        };
        await Assert.ThrowsAsync<Bakery.Core.Exceptions.BuildFileInvalid>(() => functions.PrepareAsync(new JsonObject { ["buildFile"] = tooBig }.ToJsonString()));

        var prepared = await functions.PrepareUploadAsync("builds/refused/build.json");
        var buildState = prepared.Builds!.Single();
        // RunInstances refused: Launch removes the temporary group it made itself.
        await Assert.ThrowsAsync<Bakery.Core.Exceptions.LaunchFailed>(() => functions.RunOnceAsync(StepNames.Launch, buildState));

        await functions.RunAsync(StepNames.Teardown, buildState with { Error = new ErrorInfo { Error = nameof(LaunchFailed), Cause = "refused" } });
        return functions.Calls;
    }

    public static async Task<IReadOnlyList<AwsCall>> JanitorAsync(Uri motoEndpoint)
    {
        await using var functions = await RecordedFunctions.CreateAsync(motoEndpoint);
        var buildId = $"dead-{Guid.NewGuid():N}"[..20];
        var ledger = new DynamoDbBuildLedger(functions.Setup.DynamoDb, functions.Configuration.LedgerTable, TimeProvider.System, AwsRetry.Immediate());
        await ledger.TryClaimAsync(
            new BuildClaim { BuildId = buildId, Identity = buildId, Source = "inline", Trigger = "Console", DeadlineEpochSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60 },
            CancellationToken.None);
        var ec2 = functions.Setup.Ec2(RecordedFunctions.Region);
        var tags = new List<Tag> { new("bakery:managed", "true"), new("bakery:build-id", buildId) };
        var run = await ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = "ami-cd0f5cb6",
            InstanceType = InstanceType.T3Micro,
            MinCount = 1,
            MaxCount = 1,
            // Launch tags a builder instance with its role; the janitor (and its IAM condition) go by it.
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Instance, Tags = [.. tags, new("bakery:role", "builder")] }],
        });
        // The build died after CreateImage: a half-made AMI and its snapshot are the janitor's to remove.
        await ec2.CreateImageAsync(new CreateImageRequest
        {
            InstanceId = run.Reservation.Instances[0].InstanceId,
            Name = $"half-made-{buildId}",
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Image, Tags = tags }],
        });
        await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest
        {
            GroupName = $"bakery_{buildId}",
            Description = "temporary",
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.SecurityGroup, Tags = tags }],
        });
        await functions.PutAsync($"staging/{buildId}/files/a.sh", "a");

        var report = await functions.JanitorAsync(new JanitorRequest { Regions = [RecordedFunctions.Region] });
        if (!report.CleanedBuilds.Contains(buildId) || report.DeregisteredImages.Count == 0 || report.DeletedSnapshots.Count == 0)
        {
            throw new InvalidOperationException($"The janitor did not sweep the dead build {buildId}: {functions.Log}");
        }

        return functions.Calls;
    }

    /// <summary>An image named <paramref name="name"/> made outside the recording, for force_deregister to remove.</summary>
    private static async Task MakeImageAsync(IAmazonEC2 ec2, string name)
    {
        var tags = new List<Tag> { new("bakery:managed", "true") };
        var run = await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = "ami-cd0f5cb6", InstanceType = InstanceType.T3Micro, MinCount = 1, MaxCount = 1 });
        var instanceId = run.Reservation.Instances[0].InstanceId;
        await ec2.CreateImageAsync(new CreateImageRequest
        {
            InstanceId = instanceId,
            Name = name,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Image, Tags = tags }],
        });
        await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [instanceId] });
    }
}
