using System.Text.Json;
using Bakery.Core.Bake;
using Bakery.BuildFiles.Model;
using Bakery.Core.Serialization;
using Bakery.Core.Steps;
using Bakery.Local.StepFunctions;

namespace Bakery.Cli.Build;

/// <summary>
/// Turns the workflow's event stream (state entered/exited/caught, with the <see cref="BakeState"/> each step returns)
/// into Packer-shaped progress on a <see cref="BuildUi"/>, and remembers how each build ended for the summary.
/// One instance per execution.
/// </summary>
internal sealed partial class BuildProgress(BuildUi ui, Func<string, bool>? scriptOutputStreamed = null)
{
    private const string MapState = "BakeEachBuild";
    private readonly Dictionary<int, BuildTrack> _builds = [];
    private IReadOnlyList<BakeState>? _results;
    private string? _topLevelFailedStep;
    private DateTimeOffset? _started;

    /// <summary>The newest state of every build seen so far (what Teardown needs after an interrupt).</summary>
    public IReadOnlyList<BakeState> LastStates => [.. _builds.Values.Select(b => b.State).OfType<BakeState>()];

    /// <summary>The build id Prepare claimed, once known.</summary>
    public string? BuildId { get; private set; }

    public void OnEvent(StateMachineEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        _started ??= evt.Timestamp;
        var inMap = evt.ParentStateName == MapState || (evt.Index is not null && evt.StateName != MapState);
        switch (evt.Type)
        {
            case "StateEntered" when evt.StateName == StepNames.Prepare && !inMap:
                // Prepare reads the bundle from S3 and stages it: seconds on AWS, silence without this line.
                ui.Say(null, "Preparing the build: reading the build file, staging its scripts and files...");
                break;
            case "StateEntered" when evt.StateName == StepNames.Publish:
                _results = State(evt.Input)?.Results;
                break;
            case "StateExited" when evt.StateName == StepNames.Prepare:
                OnPrepared(State(evt.Output), evt.Timestamp);
                break;
            case "StateEntered" when inMap && evt.StateType == "Task":
                OnStepEntered(Track(evt), evt.StateName!, State(evt.Input), evt.Timestamp);
                break;
            case "StateExited" when inMap && evt.StateType == "Task":
                OnStepExited(Track(evt), evt.StateName!, State(evt.Output), evt.Timestamp);
                break;
            case "StateRetried" when inMap:
                ui.Message(Track(evt).Name, $"{evt.StateName}: {evt.Error ?? "error"}, retrying (attempt {evt.RetryAttempt + 1})");
                break;
            case "StateCaught" or "StateFailed" when inMap && evt.Error is not null:
                OnStepFailed(Track(evt), evt.StateName ?? "?", evt.Error, evt.Cause);
                break;
            case "StateFailed" when !inMap && evt.StateName is not "CheckResults" and not "BuildFailed":
                _topLevelFailedStep ??= evt.StateName;
                break;
            case "StateEntered" when inMap && evt.StateName == "BuildFinished":
                OnBuildFinished(Track(evt), State(evt.Input), evt.Timestamp);
                break;
        }
    }

    /// <summary>The per-build outcomes: Publish's view when it ran, else the last state seen of each build.</summary>
    public IReadOnlyList<BuildOutcome> Outcomes()
    {
        var outcomes = new List<BuildOutcome>();
        foreach (var (index, track) in _builds.OrderBy(pair => pair.Key))
        {
            var state = _results is not null && index < _results.Count ? _results[index] : track.State;
            var error = state?.Error?.Error ?? track.Error;
            outcomes.Add(new BuildOutcome
            {
                Name = track.Name,
                State = state,
                FailedStep = error is null ? null : track.FailedStep,
                Error = error,
                Cause = error is null ? null : state?.Error?.Cause ?? track.Cause,
            });
        }

        return outcomes;
    }

    /// <summary>The step outside the builds that failed the execution (Prepare, Publish), if any.</summary>
    public string? TopLevelFailedStep => _topLevelFailedStep;

    public TimeSpan Elapsed(DateTimeOffset now) => _started is { } started ? now - started : TimeSpan.Zero;

    private void OnPrepared(BakeState? state, DateTimeOffset at)
    {
        if (state is null)
        {
            return;
        }

        BuildId = state.BuildId;
        if (state.Skip is { } skip)
        {
            ui.Say(null, $"Nothing to build: {skip.Message}");
            return;
        }

        var builds = state.Builds ?? [];
        for (var i = 0; i < builds.Count; i++)
        {
            var build = builds[i];
            var name = build.Build?.Builder.Name ?? $"build-{i}";
            _builds[i] = new BuildTrack(name) { State = build, BuildStarted = at };
            ui.Plain($"{name}: output will be in this color.");
        }

        foreach (var (_, track) in _builds.OrderBy(pair => pair.Key))
        {
            var builder = track.State!.Build?.Builder;
            ui.Say(track.Name, $"Prevalidating AMI Name: {builder?.AmiName}");
            if (track.State.SourceImageId is { } source)
            {
                ui.Message(track.Name, $"Found Image ID: {source}" + (track.State.SourceImageName is { } sourceName ? $" ({sourceName})" : ""));
            }
        }
    }

    private BuildTrack Track(StateMachineEvent evt)
    {
        var index = evt.Index ?? 0;
        if (!_builds.TryGetValue(index, out var track))
        {
            track = new BuildTrack($"build-{index}") { BuildStarted = evt.Timestamp };
            _builds[index] = track;
        }

        return track;
    }

    private void OnStepEntered(BuildTrack track, string step, BakeState? input, DateTimeOffset at)
    {
        track.State = input ?? track.State;
        if (track.Step == step)
        {
            return;
        }

        FinishStep(track, at);
        track.Step = step;
        track.StepStarted = at;
        var state = track.State;
        var builder = state?.Build?.Builder;
        // A step the build file asks nothing of (no ami_regions to copy to, nobody to share with) passes silently.
        track.StepShown = step switch
        {
            StepNames.CopyImage => builder?.AmiRegions.Count > 0,
            StepNames.ShareImage => builder is { AmiUsers.Count: > 0 } or { AmiGroups.Count: > 0 },
            _ => true,
        };
        switch (step)
        {
            case StepNames.Launch:
                ui.Say(track.Name, "Launching a source AWS instance...");
                break;
            case StepNames.WaitForInstance:
                ui.Say(track.Name, $"Waiting for instance ({state?.Instance?.InstanceId}) to become ready...");
                break;
            case StepNames.ErrorCleanup when state?.ErrorCleanup is null:
                ui.Say(track.Name, "Provisioning step had errors: Running the cleanup provisioner, if present...");
                break;
            case StepNames.StopInstance:
                ui.Say(track.Name, state?.Instance?.Spot == true ? "Skipping instance stop, since this is a spot instance." : "Stopping the source instance...");
                break;
            case StepNames.CreateImage:
                ui.Say(track.Name, $"Creating AMI {builder?.AmiName} from instance {state?.Instance?.InstanceId}");
                break;
            case StepNames.TestImage when state?.Test is null:
                ui.Say(track.Name, $"Testing AMI {state?.Image?.ImageId} on a fresh instance...");
                break;
            case StepNames.Teardown:
                ui.Say(track.Name, state?.Error is null ? "Terminating the source AWS instance..." : "Cleaning up after the error: terminating the source AWS instance...");
                break;
            case StepNames.TagImage:
                ui.Say(track.Name, $"Adding tags to AMI ({state?.Image?.ImageId})...");
                break;
            case StepNames.CopyImage when builder?.AmiRegions.Count > 0:
                ui.Say(track.Name, $"Copying AMI to regions: {string.Join(", ", builder.AmiRegions)}");
                break;
            case StepNames.ShareImage when builder is { AmiUsers.Count: > 0 } or { AmiGroups.Count: > 0 }:
                ui.Say(track.Name, $"Modifying attributes on AMI ({state?.Image?.ImageId})...");
                break;
            case StepNames.PublishParameter:
                ui.Say(track.Name, "Publishing the AMI id to SSM Parameter Store...");
                break;
        }
    }

    private void OnStepExited(BuildTrack track, string step, BakeState? output, DateTimeOffset at)
    {
        if (output is null)
        {
            return;
        }

        var previous = track.State;
        track.State = output;
        switch (step)
        {
            case StepNames.Launch when output.Instance is { } instance:
                foreach (var group in output.Created.SecurityGroupIds)
                {
                    ui.Message(track.Name, $"Temporary security group (no inbound rules): {group}");
                }

                if (output.LaunchAttempts.Count > 1 || instance.Spot)
                {
                    // Capacity fallback: each RunInstances attempt, and EC2's answer to those that did not launch.
                    foreach (var attempt in output.LaunchAttempts)
                    {
                        ui.Message(track.Name, attempt.Error is { } error
                            ? $"No capacity for {attempt.InstanceType} ({attempt.Market}): {error}"
                            : $"Launched {attempt.InstanceType} ({attempt.Market})");
                    }
                }

                ui.Message(track.Name, $"Instance ID: {instance.InstanceId}");
                break;
            case StepNames.WaitForInstance when output.Wait?.Done == true:
                ui.Message(track.Name, "Instance is running and reachable through SSM (no SSH, no open port)");
                break;
            case StepNames.Provision:
                ReportProvisioning(track, previous?.Provisioning, output);
                break;
            case StepNames.CreateImage when output.Image is { } image && previous?.Image is null:
                ui.Message(track.Name, $"AMI: {image.ImageId}");
                if (output.Wait?.Done == false)
                {
                    ui.Say(track.Name, "Waiting for AMI to become ready...");
                }

                break;
            case StepNames.Teardown when output.Wait?.Done != false && output.Removed is { } removed:
                var what = removed.InstanceIds.Select(id => $"instance {id}")
                    .Concat(removed.SecurityGroupIds.Select(id => $"security group {id}"))
                    .Concat(removed.Images.Select(id => $"image {id}"))
                    .Concat(removed.StagedKeys.Count > 0 ? [$"{removed.StagedKeys.Count} staged file(s)"] : [])
                    .ToList();
                if (what.Count > 0)
                {
                    ui.Message(track.Name, "Removed " + string.Join(", ", what));
                }

                break;
            case StepNames.TestImage when output.Test is { } test:
                if (previous?.Test is null)
                {
                    ui.Message(track.Name, $"Test instance ID: {test.Instance.InstanceId}");
                }

                if (test.Passed is { } passed && previous?.Test?.Passed is null)
                {
                    ui.Message(track.Name, passed ? $"Test passed: {test.Summary}"
                        : $"Test failed ({(test.OnFailure == "tag" ? "image kept, tagged bakery:tested=false" : "image will be deregistered")}): {test.Summary}");
                }

                break;
            case StepNames.PublishParameter:
                foreach (var parameter in output.Parameters)
                {
                    ui.Message(track.Name, $"Parameter {parameter.Name} in {parameter.Region}: {parameter.ImageId} (version {parameter.Version})");
                }

                break;
            case StepNames.CopyImage when output.Copies.Count > (previous?.Copies.Count ?? 0):
                foreach (var copy in output.Copies.Skip(previous?.Copies.Count ?? 0))
                {
                    ui.Message(track.Name, $"Copied to {copy.Region}: {copy.ImageId}");
                }

                break;
        }
    }

    private void ReportProvisioning(BuildTrack track, ProvisioningInfo? before, BakeState output)
    {
        var provisioners = output.Build?.Provisioners ?? [];
        var now = output.Provisioning ?? new ProvisioningInfo();
        var from = before?.Index ?? 0;
        var upTo = Math.Min(now.Index, provisioners.Count - 1);
        for (var i = from; i <= upTo; i++)
        {
            var started = i < now.Index || now.CommandId is not null || now.Finished;
            if (started && track.AnnouncedProvisioners.Add(i))
            {
                ui.Say(track.Name, Describe(provisioners[i]));
            }

            var finished = i < now.Index;
            // A local instance streamed the build's script output line by line as it ran: the tail would repeat it.
            if (finished && track.FinishedProvisioners.Add(i) && i == now.Index - 1 && now.CommandId is null && now.OutputTail is { Length: > 0 } tail
                && scriptOutputStreamed?.Invoke(track.Name) != true)
            {
                ui.Message(track.Name, tail.TrimEnd('\n'));
            }
        }
    }

    private static string Describe(Provisioner provisioner) => provisioner switch
    {
        ShellProvisioner { Scripts.Count: > 0 } shell => $"Provisioning with shell script: {string.Join(", ", shell.Scripts.Select(s => Shown(s.AsWritten)))}",
        ShellProvisioner => "Provisioning with shell script (inline)",
        FileProvisioner file => $"Uploading {(file.Sources.Count > 0 ? string.Join(", ", file.Sources.Select(s => Shown(s.AsWritten))) : "content")} => {file.Destination}",
        PowerShellProvisioner => "Provisioning with Powershell...",
        _ => $"Provisioning with {provisioner.Type}",
    };

    /// <summary>
    /// A path as rendered, with runs of '/' collapsed: in an S3 bundle <c>{{template_dir}}</c> and <c>path.root</c> are
    /// <c>/</c> for the bundle's root folder, so <c>${path.root}/x.sh</c> renders <c>//x.sh</c>, which names the same file.
    /// </summary>
    private static string Shown(string path) => MultipleSlashes().Replace(path, "/");

    [System.Text.RegularExpressions.GeneratedRegex("/{2,}")]
    private static partial System.Text.RegularExpressions.Regex MultipleSlashes();

    private void OnStepFailed(BuildTrack track, string step, string error, string? cause)
    {
        if (track.Error is not null)
        {
            return;
        }

        track.Error = error;
        track.Cause = cause;
        track.FailedStep = step;
        ui.Error(track.Name, $"{step} failed: {error}: {CauseText(cause)}");
    }

    private void OnBuildFinished(BuildTrack track, BakeState? state, DateTimeOffset at)
    {
        FinishStep(track, at);
        track.State = state ?? track.State;
        var elapsed = Durations.Format(at - track.BuildStarted);
        var error = track.State?.Error;
        if (error?.Error is { } name)
        {
            ui.Plain($"Build '{track.Name}' errored after {elapsed}: {name}: {CauseText(error.Cause)}");
        }
        else
        {
            ui.Plain($"Build '{track.Name}' finished after {elapsed}.");
        }
    }

    private void FinishStep(BuildTrack track, DateTimeOffset at)
    {
        if (track.Step is { } step)
        {
            if (track.StepShown)
            {
                ui.Message(track.Name, $"({step} took {Durations.Short(at - track.StepStarted)})");
            }

            track.Step = null;
        }
    }

    /// <summary>A Lambda error's cause is its error JSON (<c>{"errorType","errorMessage",...}</c>); show the message.</summary>
    internal static string CauseText(string? cause) => LambdaErrorCause.MessageOf(cause) ?? "(no cause given)";

    private static BakeState? State(JsonElement? element)
    {
        if (element is not { ValueKind: JsonValueKind.Object } value)
        {
            return null;
        }

        try
        {
            return value.Deserialize(BakeryJsonContext.Default.BakeState);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class BuildTrack(string name)
    {
        public string Name { get; } = name;
        public BakeState? State { get; set; }
        public string? Step { get; set; }
        public bool StepShown { get; set; }
        public DateTimeOffset StepStarted { get; set; }
        public DateTimeOffset BuildStarted { get; set; }
        public HashSet<int> AnnouncedProvisioners { get; } = [];
        public HashSet<int> FinishedProvisioners { get; } = [];
        public string? Error { get; set; }
        public string? Cause { get; set; }
        public string? FailedStep { get; set; }
    }
}
