using System.Text.Json;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;
using Bakery.Core.Ledger;
using Bakery.Core.Serialization;
using Bakery.Core.Steps;
using Bakery.Core.Tests.Steps.Fakes;
using Bakery.Core.Triggers;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Core.Tests.Steps;

public class PrepareStepTests
{
    private const string Bucket = "bakery-templates";

    private readonly FakeAws aws = FakeAws.WithSourceImages();
    private readonly InMemoryLedger ledger = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly List<TimeSpan> delays = [];

    private PrepareStep Step(string? stackRegion = null) => new(
        aws,
        ledger,
        new BakeryConfiguration { Bucket = Bucket, LedgerTable = "ledger", InstanceProfile = "builder", Region = stackRegion },
        AwsRetry.Immediate(),
        clock,
        new PrepareOptions(),
        (wait, _) =>
        {
            delays.Add(wait);
            clock.Advance(wait);
            return Task.CompletedTask;
        });

    private static string Resource(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "resources", "prepare", name));

    private static BuildRequest Upload(string key, string sequencer = "0001") =>
        new() { Kind = TriggerKind.S3Upload, Bucket = Bucket, Key = key, Sequencer = sequencer };

    private void UploadNginx()
    {
        aws.Store.Put(Bucket, "builds/nginx/my_test_build.json", Resource("nginx_build.json"));
        aws.Store.Put(Bucket, "builds/nginx/packer_provision.sh", "set -x\napt update\n");
    }

    [Fact]
    public async Task Seed_example_becomes_one_build_with_its_script_staged()
    {
        UploadNginx();

        var state = await Step().RunAsync(Upload("builds/nginx/my_test_build.json"), CancellationToken.None);

        Assert.Null(state.Skip);
        Assert.Equal("builds/nginx/", state.Source!.Prefix);
        Assert.Equal($"staging/{state.BuildId}/", state.StagingPrefix);
        var build = Assert.Single(state.Builds!);
        Assert.Equal(state.BuildId, build.BuildId);
        Assert.Equal("ami-cd0f5cb6", build.SourceImageId);
        Assert.Equal($"packer.my_test_machine.{clock.GetUtcNow().ToUnixTimeSeconds()}", build.Build!.Builder.AmiName);
        var stagedKey = $"staging/{state.BuildId}/files/packer_provision.sh";
        Assert.Equal([stagedKey], build.Created.StagedKeys);
        Assert.Equal("set -x\napt update\n", aws.Store.Text(Bucket, stagedKey));
        Assert.Equal((clock.GetUtcNow() + TimeSpan.FromHours(2)).ToUnixTimeSeconds(), build.DeadlineEpochSeconds);
        Assert.Equal(BuildStatus.Claimed, ledger.Records[state.BuildId].Status);

        // The state crosses Step Functions as JSON: it must round-trip.
        var json = JsonSerializer.Serialize(state, BakeryJsonContext.Default.BakeState);
        Assert.Equal(build.Build.Builder.AmiName, JsonSerializer.Deserialize(json, BakeryJsonContext.Default.BakeState)!.Builds![0].Build!.Builder.AmiName);
    }

    [Fact]
    public async Task A_duplicate_event_is_skipped()
    {
        UploadNginx();
        var first = await Step().RunAsync(Upload("builds/nginx/my_test_build.json"), CancellationToken.None);

        var second = await Step().RunAsync(Upload("builds/nginx/my_test_build.json"), CancellationToken.None);

        Assert.Equal(first.BuildId, second.BuildId);
        Assert.Equal("duplicate", second.Skip!.Reason);
        Assert.Null(second.Builds);
    }

    [Theory]
    [InlineData("builds/nginx/my_test_build.vars.json", "{\"region\":\"us-east-1\"}", "is a variable file")]
    [InlineData("builds/nginx/data.json", "{\"items\":[1,2]}", "has no 'builders'")]
    [InlineData("builds/nginx/packer-manifest.json", "{\"builds\":[],\"last_run_uuid\":\"x\"}", "has no 'builders'")]
    public async Task An_uploaded_file_that_is_not_a_build_file_ends_at_once(string key, string content, string why)
    {
        aws.Store.Put(Bucket, key, content);

        var state = await Step().RunAsync(Upload(key), CancellationToken.None);

        Assert.Equal("not-a-build-file", state.Skip!.Reason);
        Assert.Contains(why, state.Skip.Message, StringComparison.Ordinal);
        Assert.Empty(ledger.Records);
    }

    [Fact]
    public async Task A_script_outside_the_bundle_is_refused_and_the_failure_recorded()
    {
        aws.Store.Put(Bucket, "builds/app/build.json", Resource("escaping_build.json"));
        aws.Store.Put(Bucket, "builds/other-build/secret.sh", "cat /etc/shadow");

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Step().RunAsync(Upload("builds/app/build.json"), CancellationToken.None));

        Assert.Contains("../other-build/secret.sh", error.Message, StringComparison.Ordinal);
        Assert.Empty(delays);
        var record = Assert.Single(ledger.Records.Values);
        Assert.Equal((BuildStatus.Failed, "BuildFileInvalid"), (record.Status, record.ErrorName));
        Assert.DoesNotContain(aws.Store.Objects.Keys, key => key.Contains("/staging/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_builds_variable_file_is_never_staged_even_inside_the_bundle()
    {
        // builds/team/ holds two builds: grab.json must not ship team-b's values to its own instance.
        aws.Store.Put(Bucket, "builds/team/grab.json", """
            { "builders": [{ "type": "amazon-ebs", "region": "us-east-1", "source_ami": "ami-12345678", "instance_type": "t3.micro", "ami_name": "grab" }],
              "provisioners": [{ "type": "file", "source": "team-b/prod.vars.json", "destination": "/tmp/loot.json" }] }
            """);
        aws.Store.Put(Bucket, "builds/team/team-b/prod.vars.json", "{\"db_password\": \"team-b-secret\"}");

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Step().RunAsync(Upload("builds/team/grab.json"), CancellationToken.None));

        Assert.Contains("'team-b/prod.vars.json' is a variable file", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("team-b-secret", error.Message, StringComparison.Ordinal);
        Assert.Empty(delays);
        Assert.DoesNotContain(aws.Store.Objects.Keys, key => key.Contains("staging/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("builds/grab.json")]
    [InlineData("grab.json")]
    [InlineData("staging/grab.json")]
    public async Task A_build_file_outside_a_folder_of_its_own_under_builds_is_refused(string key)
    {
        aws.Store.Put(Bucket, key, Resource("nginx_build.json"));
        aws.Store.Put(Bucket, key[..(key.LastIndexOf('/') + 1)] + "packer_provision.sh", "echo hi");

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Step().RunAsync(Upload(key), CancellationToken.None));

        Assert.Contains($"s3://{Bucket}/{key}: a build file lives in its own folder under builds/", error.Message, StringComparison.Ordinal);
        Assert.Contains($"s3://{Bucket}/builds/grab/", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, aws.Store.Objects.Count); // nothing staged: only the two uploads
    }

    /// <summary>Step Functions' limit on a state (256 KiB), written out so the test does not trust the code it checks.</summary>
    private const int StepFunctionsStateLimit = 262_144;

    [Fact]
    public async Task A_100_KB_inline_script_is_staged_in_S3_and_the_state_after_the_Map_stays_under_256_KiB()
    {
        var lines = Enumerable.Range(0, 2_000).Select(i => $"echo 'line {i:D5} of a long inline provisioning script, padded to fifty' # {i}").ToList();
        var inline = JsonSerializer.Serialize(lines);
        Assert.True(string.Join('\n', lines).Length >= 100_000);
        aws.Store.Put(Bucket, "builds/big/build.json", $$"""
            { "builders": [{ "type": "amazon-ebs", "region": "us-east-1", "source_ami": "ami-12345678", "instance_type": "t3.micro", "ami_name": "big" }],
              "provisioners": [{ "type": "shell", "inline": {{inline}} },
                               { "type": "file", "content": {{JsonSerializer.Serialize(string.Join('\n', lines))}}, "destination": "/etc/big.conf" }] }
            """);

        var state = await Step().RunAsync(Upload("builds/big/build.json"), CancellationToken.None);

        var build = Assert.Single(state.Builds!);
        var shell = Assert.IsType<BuildFiles.Model.ShellProvisioner>(build.Build!.Provisioners[0]);
        var file = Assert.IsType<BuildFiles.Model.FileProvisioner>(build.Build.Provisioners[1]);
        Assert.Empty(shell.Inline);
        Assert.Null(file.Content);
        var stagedScript = aws.Store.Text(Bucket, shell.StagedInlineKey!)!;
        Assert.Equal("#!/bin/sh -e\n" + string.Concat(lines.Select(line => line + "\n")), stagedScript);
        Assert.Equal(string.Join('\n', lines), aws.Store.Text(Bucket, file.StagedInlineKey!));
        Assert.Contains(shell.StagedInlineKey!, build.Created.StagedKeys);
        // After the Map the state holds every build twice ($.builds and $.results), each grown by its run.
        var prepared = JsonSerializer.SerializeToUtf8Bytes(state, BakeryJsonContext.Default.BakeState).Length;
        Assert.True(prepared * 2 < StepFunctionsStateLimit / 4, $"{prepared} bytes after Prepare");
        var worst = Core.Steps.Internal.StateBudget.Measure(Core.Steps.Internal.StateBudget.WorstAfterMap(state));
        Assert.True(worst < StepFunctionsStateLimit, $"{worst} bytes after the Map at worst");
    }

    [Fact]
    public async Task A_build_whose_state_after_the_Map_would_pass_256_KiB_is_refused_before_anything_is_launched()
    {
        var huge = new string('x', 140_000);
        aws.Store.Put(Bucket, "builds/huge/build.json", $$"""
            { "builders": [{ "type": "amazon-ebs", "region": "us-east-1", "source_ami": "ami-12345678", "instance_type": "t3.micro", "ami_name": "huge" }],
              "provisioners": [{ "type": "shell", "inline": ["true"], "environment_vars": ["HUGE={{huge}}"] }] }
            """);

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Step().RunAsync(Upload("builds/huge/build.json"), CancellationToken.None));

        Assert.Contains("too large for one execution", error.Message, StringComparison.Ordinal);
        Assert.Contains("Step Functions accepts 262,144", error.Message, StringComparison.Ordinal);
        Assert.Equal((BuildStatus.Failed, "BuildFileInvalid"), (ledger.Records.Values.Single().Status, ledger.Records.Values.Single().ErrorName));
    }

    [Fact]
    public async Task Source_ami_filter_picks_the_newest_image()
    {
        aws.Store.Put(Bucket, "builds/f/build.json", Resource("filter_build.json"));
        aws.AddImage(new ImageDescription("ami-old", "available") { Name = "ubuntu/images/2024", CreationDate = "2024-01-01T00:00:00.000Z" });
        aws.AddImage(new ImageDescription("ami-new", "available") { Name = "ubuntu/images/2026", CreationDate = "2026-01-01T00:00:00.000Z" });
        aws.AddImage(new ImageDescription("ami-mid", "available") { Name = "ubuntu/images/2025", CreationDate = "2025-01-01T00:00:00.000Z" });

        var state = await Step().RunAsync(Upload("builds/f/build.json"), CancellationToken.None);

        var build = Assert.Single(state.Builds!);
        Assert.Equal(("ami-new", "ubuntu/images/2026"), (build.SourceImageId!, build.SourceImageName!));
        var (filters, owners) = aws.ImageQueries[0];
        Assert.Equal(["ubuntu/images/*"], filters["name"]);
        Assert.Equal(["hvm"], filters["virtualization-type"]);
        Assert.Equal(["099720109477"], owners);
    }

    [Fact]
    public async Task Source_ami_filter_without_a_match_is_SourceImageNotFound()
    {
        aws.Store.Put(Bucket, "builds/f/build.json", Resource("filter_build.json"));

        var error = await Assert.ThrowsAsync<SourceImageNotFound>(() => Step().RunAsync(Upload("builds/f/build.json"), CancellationToken.None));

        Assert.Contains("name=ubuntu/images/*", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_source_ami_is_SourceImageNotFound_naming_the_file_builder_and_id_and_stages_nothing()
    {
        UploadNginx();
        aws.ImagesById.Remove("ami-cd0f5cb6");

        var error = await Assert.ThrowsAsync<SourceImageNotFound>(() => Step().RunAsync(Upload("builds/nginx/my_test_build.json"), CancellationToken.None));

        Assert.StartsWith($"s3://{Bucket}/builds/nginx/my_test_build.json: builder 'amazon-ebs': source_ami 'ami-cd0f5cb6' was not found in us-east-1", error.Message, StringComparison.Ordinal);
        Assert.Equal(["ami-cd0f5cb6"], aws.DescribedImages);
        Assert.DoesNotContain(aws.Store.Objects.Keys, key => key.StartsWith($"{Bucket}/staging/", StringComparison.Ordinal));
        var record = Assert.Single(ledger.Records.Values);
        Assert.Equal(nameof(SourceImageNotFound), record.ErrorName);
    }

    [Fact]
    public async Task An_instance_store_source_image_is_refused_before_anything_is_staged()
    {
        UploadNginx();
        aws.ImagesById.Remove("ami-cd0f5cb6");
        aws.AddImage(new ImageDescription("ami-cd0f5cb6", "available") { Name = "old/instance-store", RootDeviceType = "instance-store" });

        var error = await Assert.ThrowsAsync<SourceImageNotFound>(() => Step().RunAsync(Upload("builds/nginx/my_test_build.json"), CancellationToken.None));

        Assert.Contains("builder 'amazon-ebs': source image ami-cd0f5cb6 (old/instance-store) in us-east-1 has root device type instance-store", error.Message, StringComparison.Ordinal);
        Assert.Contains("EBS-backed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(aws.Store.Objects.Keys, key => key.StartsWith($"{Bucket}/staging/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pinned_source_ami_is_described_and_its_name_kept()
    {
        UploadNginx();

        var state = await Step().RunAsync(Upload("builds/nginx/my_test_build.json"), CancellationToken.None);

        var build = Assert.Single(state.Builds!);
        Assert.Equal(("ami-cd0f5cb6", "source/the-seed-example"), (build.SourceImageId, build.SourceImageName));
        Assert.Equal(["ami-cd0f5cb6"], aws.DescribedImages);
    }

    [Fact]
    public async Task An_ami_name_in_use_is_refused_unless_force_deregister()
    {
        aws.Store.Put(Bucket, "builds/f/build.json", Resource("filter_build.json"));
        aws.AddImage(new ImageDescription("ami-new", "available") { Name = "ubuntu/images/2026", CreationDate = "2026-01-01T00:00:00.000Z" });
        aws.AddImage(new ImageDescription("ami-taken", "available") { Name = "filtered-image" });

        var error = await Assert.ThrowsAsync<AmiNameInUse>(() => Step().RunAsync(Upload("builds/f/build.json"), CancellationToken.None));
        Assert.Contains("ami-taken", error.Message, StringComparison.Ordinal);

        aws.Store.Put(Bucket, "builds/g/build.json", Resource("filter_build.json").Replace("\"ami_name\"", "\"force_deregister\": true, \"ami_name\"", StringComparison.Ordinal));
        var state = await Step().RunAsync(Upload("builds/g/build.json"), CancellationToken.None);
        Assert.Single(state.Builds!);
    }

    [Fact]
    public async Task A_second_builder_refused_leaves_nothing_of_the_first_staged()
    {
        // Both builders use packer_provision.sh; the second's ami_name is taken. Every check runs before staging.
        var file = System.Text.Json.Nodes.JsonNode.Parse(Resource("nginx_build.json"))!.AsObject();
        var first = file["builders"]![0]!.AsObject();
        first["name"] = "web";
        var second = first.DeepClone().AsObject();
        second["name"] = "worker";
        second["ami_name"] = "taken-name";
        file["builders"]!.AsArray().Add(second);
        aws.Store.Put(Bucket, "builds/two/build.json", file.ToJsonString());
        aws.Store.Put(Bucket, "builds/two/packer_provision.sh", "echo hi\n");
        aws.AddImage(new ImageDescription("ami-taken", "available") { Name = "taken-name" });

        var error = await Assert.ThrowsAsync<AmiNameInUse>(() => Step().RunAsync(Upload("builds/two/build.json"), CancellationToken.None));

        Assert.Contains("worker", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(aws.Store.Objects.Keys, key => key.Contains("/staging/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("tags", 47, null)]
    [InlineData("tags", 48, "tags would put 51 tags on the AMI (and each copy), 3 of them Bakery's own")]
    [InlineData("snapshot_tags", 45, null)]
    [InlineData("snapshot_tags", 46, "tags + snapshot_tags would put 51 tags on each snapshot of the AMI")]
    [InlineData("run_tags", 45, null)]
    [InlineData("run_tags", 46, "run_tags would put 51 tags on the builder instance (with its Name)")]
    [InlineData("run_volume_tags", 47, null)]
    [InlineData("run_volume_tags", 48, "run_volume_tags would put 51 tags on the builder's volumes")]
    public async Task More_tags_than_EC2_allows_per_resource_with_Bakerys_own_are_refused_before_anything_is_staged(string field, int count, string? error)
    {
        // nginx_build.json's own tags (Name, source) count towards snapshot_tags' snapshots too; EC2's limit is 50.
        var file = System.Text.Json.Nodes.JsonNode.Parse(Resource("nginx_build.json"))!.AsObject();
        var builder = file["builders"]![0]!.AsObject();
        var tags = new System.Text.Json.Nodes.JsonObject();
        for (var i = 0; i < count; i++)
        {
            tags[$"key{i}"] = "value";
        }

        if (field == "tags")
        {
            builder.Remove("tags");
        }

        builder[field] = tags;
        aws.Store.Put(Bucket, "builds/tags/build.json", file.ToJsonString());
        aws.Store.Put(Bucket, "builds/tags/packer_provision.sh", "echo hi\n");

        if (error is null)
        {
            Assert.Single((await Step().RunAsync(Upload("builds/tags/build.json"), CancellationToken.None)).Builds!);
            return;
        }

        var refused = await Assert.ThrowsAsync<BuildFileInvalid>(() => Step().RunAsync(Upload("builds/tags/build.json"), CancellationToken.None));
        Assert.Contains(error, refused.Message, StringComparison.Ordinal);
        Assert.Contains("s3://bakery-templates/builds/tags/build.json", refused.Message, StringComparison.Ordinal);
        Assert.Contains("EC2 allows 50 tags per resource", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Remove at least 1 key(s)", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(aws.Store.Objects.Keys, key => key.Contains("/staging/", StringComparison.Ordinal));
        Assert.Equal((BuildStatus.Failed, "BuildFileInvalid"), (ledger.Records.Values.Single().Status, ledger.Records.Values.Single().ErrorName));
    }

    [Fact]
    public async Task A_script_still_uploading_is_waited_for()
    {
        aws.Store.Put(Bucket, "builds/nginx/my_test_build.json", Resource("nginx_build.json"));
        aws.Store.OnList = listing =>
        {
            if (listing == 2)
            {
                aws.Store.Put(Bucket, "builds/nginx/packer_provision.sh", "echo late");
            }
        };

        var state = await Step().RunAsync(Upload("builds/nginx/my_test_build.json"), CancellationToken.None);

        Assert.Single(state.Builds!);
        Assert.Equal(2, delays.Count);
    }

    [Fact]
    public async Task A_script_that_never_arrives_is_BuildFileInvalid_after_a_bounded_wait()
    {
        aws.Store.Put(Bucket, "builds/nginx/my_test_build.json", Resource("nginx_build.json"));

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Step().RunAsync(Upload("builds/nginx/my_test_build.json"), CancellationToken.None));

        Assert.Contains("packer_provision.sh", error.Message, StringComparison.Ordinal);
        Assert.InRange(delays.Count, 1, 5);
    }

    [Fact]
    public async Task Sensitive_values_stay_out_of_the_state_and_the_rendered_plan_keeps_them_for_Provision()
    {
        aws.Store.Put(Bucket, "builds/s/build.json", Resource("secret_build.json"));
        aws.Store.Put(Bucket, "builds/s/scripts/setup.sh", "echo setup");
        var request = new BuildRequest
        {
            Kind = TriggerKind.Console,
            Bucket = Bucket,
            Key = "builds/s/build.json",
            Vars = new Dictionary<string, string> { ["db_password"] = "hunter2-very-secret" },
        };

        var state = await Step().RunAsync(request, CancellationToken.None);

        var json = JsonSerializer.Serialize(state, BakeryJsonContext.Default.BakeState);
        Assert.DoesNotContain("hunter2-very-secret", json, StringComparison.Ordinal);
        Assert.Contains("DB_PASSWORD", json, StringComparison.Ordinal);
        Assert.Equal("<sensitive>", state.Source!.Vars["db_password"]);
        Assert.DoesNotContain("hunter2-very-secret", JsonSerializer.Serialize(ledger.Records[state.BuildId], BakeryJsonContext.Default.BuildRecord), StringComparison.Ordinal);

        var renderedKey = PrepareStep.RenderedPlanKey(state.StagingPrefix!, "amazon-ebs");
        Assert.Contains("hunter2-very-secret", aws.Store.Text(Bucket, renderedKey), StringComparison.Ordinal);
        Assert.Contains(renderedKey, state.Builds![0].Created.StagedKeys);
    }

    [Fact]
    public async Task Vars_come_from_a_sibling_vars_file_for_an_uploaded_build()
    {
        aws.Store.Put(Bucket, "builds/s/build.json", Resource("secret_build.json"));
        aws.Store.Put(Bucket, "builds/s/build.vars.json", "{\"region\": \"eu-west-1\", \"db_password\": \"pw\"}");
        aws.Store.Put(Bucket, "builds/s/scripts/setup.sh", "echo setup");

        var state = await Step().RunAsync(Upload("builds/s/build.json"), CancellationToken.None);

        Assert.Equal("eu-west-1", state.Builds![0].Build!.Builder.Region);
    }

    [Fact]
    public async Task A_console_start_reads_the_sibling_vars_file_too_and_its_own_vars_win()
    {
        // So `bakery build -only` never needs to put variables in the execution input, which Step Functions keeps.
        aws.Store.Put(Bucket, "builds/s/build.json", Resource("secret_build.json"));
        aws.Store.Put(Bucket, "builds/s/build.vars.json", "{\"region\": \"eu-west-1\", \"db_password\": \"from-the-file\"}");
        aws.Store.Put(Bucket, "builds/s/scripts/setup.sh", "echo setup");
        var request = new BuildRequest
        {
            Kind = TriggerKind.Console,
            Bucket = Bucket,
            Key = "builds/s/build.json",
            Vars = new Dictionary<string, string> { ["region"] = "eu-central-1" },
        };

        var state = await Step().RunAsync(request, CancellationToken.None);

        Assert.Equal("eu-central-1", state.Builds![0].Build!.Builder.Region);
        var renderedKey = PrepareStep.RenderedPlanKey(state.StagingPrefix!, "amazon-ebs");
        Assert.Contains("from-the-file", aws.Store.Text(Bucket, renderedKey), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_build_for_another_region_than_the_stacks_is_refused_before_anything_is_staged()
    {
        UploadNginx();

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Step(stackRegion: "eu-west-1").RunAsync(Upload("builds/nginx/my_test_build.json"), CancellationToken.None));

        Assert.Contains("builds/nginx/my_test_build.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"region\": \"us-east-1\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("builds in eu-west-1 only", error.Message, StringComparison.Ordinal);
        Assert.Contains("ami_regions", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(aws.Store.Objects.Keys, key => key.Contains("/staging/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_build_in_the_stacks_own_region_is_prepared()
    {
        UploadNginx();

        var state = await Step(stackRegion: "us-east-1").RunAsync(Upload("builds/nginx/my_test_build.json"), CancellationToken.None);

        Assert.Equal("us-east-1", Assert.Single(state.Builds!).Build!.Builder.Region);
    }

    [Fact]
    public async Task A_manifest_output_outside_the_build_folder_is_refused()
    {
        aws.Store.Put(Bucket, "builds/s/build.json", Resource("secret_build.json").Replace("out/manifest.json", "../../manifest.json", StringComparison.Ordinal));
        aws.Store.Put(Bucket, "builds/s/scripts/setup.sh", "echo setup");

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Step().RunAsync(Upload("builds/s/build.json"), CancellationToken.None));

        Assert.Contains("../../manifest.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Folders_are_staged_file_by_file_under_one_prefix_the_state_lists_once_and_user_data_file_is_read()
    {
        aws.Store.Put(Bucket, "builds/web/build.json", Resource("files_build.json"));
        aws.Store.Put(Bucket, "builds/web/cloud-init.yaml", "#cloud-config\n");
        aws.Store.Put(Bucket, "builds/web/site/index.html", "<h1>hi</h1>");
        aws.Store.Put(Bucket, "builds/web/site/css/app.css", "body{}");
        aws.Store.Put(Bucket, "builds/web/scripts/one.sh", "echo 1");
        aws.Store.Put(Bucket, "builds/web/scripts/two.sh", "echo 2");

        var state = await Step().RunAsync(Upload("builds/web/build.json"), CancellationToken.None);

        var build = Assert.Single(state.Builds!);
        Assert.Equal("#cloud-config\n", build.Build!.Builder.UserData);
        var prefix = state.StagingPrefix;
        // The folder is one entry (its prefix), however many files it has: the state stays small.
        Assert.Equal([$"{prefix}files/site/", $"{prefix}files/scripts/one.sh", $"{prefix}files/scripts/two.sh"], build.Created.StagedKeys);
        Assert.Equal("<h1>hi</h1>", System.Text.Encoding.UTF8.GetString(aws.Store.Objects[$"{Bucket}/{prefix}files/site/index.html"]));
        Assert.Equal("body{}", System.Text.Encoding.UTF8.GetString(aws.Store.Objects[$"{Bucket}/{prefix}files/site/css/app.css"]));
        Assert.DoesNotContain(aws.Store.Objects.Keys, key => key.EndsWith(".tar.gz", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_inline_build_file_is_kept_in_the_bucket_beside_its_future_manifest()
    {
        var request = TriggerNormalizer.Normalize(
            """{"buildId":"inline-1","buildFile":{"builders":[{"type":"amazon-ebs","region":"us-east-1","source_ami":"ami-12345678","instance_type":"t3.micro","ami_name":"inline"}]}}""");

        var state = await Step().RunAsync(request, CancellationToken.None);

        Assert.Equal("inline-1", state.BuildId);
        Assert.Equal(("inline/inline-1/build.json", "inline/inline-1/"), (state.Source!.Key, state.Source.Prefix));
        Assert.NotNull(aws.Store.Text(Bucket, "inline/inline-1/build.json"));
    }

    [Fact]
    public async Task The_raw_trigger_json_is_accepted()
    {
        UploadNginx();
        using var trigger = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "resources", "triggers", "s3-object-created.json"))
            .Replace("bakery-templates", Bucket, StringComparison.Ordinal));

        var state = await Step().RunAsync(trigger.RootElement, CancellationToken.None);

        Assert.Single(state.Builds!);
        Assert.Equal("IYV3p45BT0ac8hjHg1houSdS1a.Mro8e", state.Source!.VersionId);
    }

    [Fact]
    public async Task Builds_of_one_file_list_only_the_staged_files_no_sibling_needs_so_a_teardown_cannot_pull_them_away()
    {
        aws.Store.Put(Bucket, "builds/two/build.json", Resource("two_builders_build.json"));
        aws.Store.Put(Bucket, "builds/two/scripts/common.sh", "echo common");
        aws.Store.Put(Bucket, "builds/two/scripts/web.sh", "echo web");
        aws.Store.Put(Bucket, "builds/two/scripts/worker.sh", "echo worker");

        var state = await Step().RunAsync(Upload("builds/two/build.json"), CancellationToken.None);

        var prefix = state.StagingPrefix;
        Assert.Equal(2, state.Builds!.Count);
        Assert.Equal([$"{prefix}files/scripts/web.sh"], state.Builds.Single(b => b.Build!.Builder.Name == "web").Created.StagedKeys);
        Assert.Equal([$"{prefix}files/scripts/worker.sh"], state.Builds.Single(b => b.Build!.Builder.Name == "worker").Created.StagedKeys);
        Assert.Equal(
            [$"{prefix}files/scripts/common.sh", $"{prefix}files/scripts/web.sh", $"{prefix}files/scripts/worker.sh"],
            state.Created.StagedKeys.Order(StringComparer.Ordinal));
        Assert.Equal("echo common", aws.Store.Text(Bucket, $"{prefix}files/scripts/common.sh"));
    }
}
