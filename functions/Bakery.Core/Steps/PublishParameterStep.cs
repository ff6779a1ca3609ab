using Amazon.Runtime;
using Bakery.BuildFiles.Settings;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Steps;

/// <summary>
/// <c>publish_parameter</c>: writes the new AMI id to an SSM parameter in every region the AMI landed in (the build
/// region, then each copy's), data type <c>aws:ec2:image</c>, overwriting the previous value, which SSM keeps as an
/// earlier version (the rollback: docs/build-files.md). Runs last in a build, after the image is tagged, copied and
/// shared, so a parameter never names an image that is not finished.
/// </summary>
/// <remarks>
/// All regions or none: when SSM refuses one region, the regions already written are put back to the value they held
/// before this build (found in the parameter's history) or deleted when this build created them, and the step fails;
/// the workflow's Teardown then removes the images, which no parameter names any more. A retried attempt finds a
/// region that already holds this build's AMI and leaves it as it is (no second version).
/// </remarks>
public sealed class PublishParameterStep(IAwsServices aws, AwsRetry retry) : IBakeStep
{
    public string Name => StepNames.PublishParameter;

    public async Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var builder = state.RequireBuild(Name).Builder;
        var image = state.RequireImage(Name);
        if (state.Settings?.PublishParameter is not { } publish)
        {
            return state.Finished();
        }

        var published = new List<PublishedParameter>();
        foreach (var target in (IEnumerable<ImageInfo>)[image, .. state.Copies])
        {
            var name = ParameterNames.Render(publish.Name, builder.Name, target.Region);
            var parameters = aws.Parameters(target.Region);
            try
            {
                var current = await retry.RunAsync("SSM GetParameter", token => parameters.GetAsync(name, token), cancellationToken).ConfigureAwait(false);
                if (current is not null && string.Equals(current.Value, target.ImageId, StringComparison.Ordinal))
                {
                    // An earlier attempt of this step wrote it: its version stands.
                    published.Add(new PublishedParameter(target.Region, name, target.ImageId, current.Version));
                    continue;
                }

                var description = $"The newest AMI of builder '{builder.Name}' (Bakery build {state.BuildId})";
                var version = await retry.RunAsync("SSM PutParameter", token => parameters.PutImageIdAsync(name, target.ImageId, description, token), cancellationToken)
                    .ConfigureAwait(false);
                published.Add(new PublishedParameter(target.Region, name, target.ImageId, version));
            }
            catch (AmazonServiceException error) when (!AwsErrors.IsTransient(error))
            {
                var undone = await PutBackAsync(published, CancellationToken.None).ConfigureAwait(false);
                throw new PublishParameterFailed(
                    $"PublishParameter: SSM refused parameter {name} in {target.Region}: {error.ErrorCode}: {error.Message}{Hint(error.ErrorCode)}" +
                    (undone.Count > 0 ? $" Put back: {string.Join(", ", undone)}." : string.Empty),
                    error);
            }
        }

        return (state with { Parameters = published }).Finished();
    }

    /// <summary>Puts each written parameter back to the value it held before this build, or deletes it if this build created it.</summary>
    private async Task<List<string>> PutBackAsync(IReadOnlyList<PublishedParameter> written, CancellationToken cancellationToken)
    {
        var undone = new List<string>();
        foreach (var parameter in written)
        {
            try
            {
                undone.Add(await PutBackAsync(parameter, cancellationToken).ConfigureAwait(false));
            }
            catch (AmazonServiceException error)
            {
                undone.Add($"{parameter.Name} in {parameter.Region} NOT put back ({error.ErrorCode}: {error.Message}): it still names {parameter.ImageId}, which Teardown removes");
            }
        }

        return undone;
    }

    private async Task<string> PutBackAsync(PublishedParameter parameter, CancellationToken cancellationToken)
    {
        var parameters = aws.Parameters(parameter.Region);
        var history = await retry.RunAsync("SSM GetParameterHistory", token => parameters.GetHistoryAsync(parameter.Name, token), cancellationToken)
            .ConfigureAwait(false);
        var before = history.LastOrDefault(value => !string.Equals(value, parameter.ImageId, StringComparison.Ordinal));
        if (before is null)
        {
            await retry.RunAsync("SSM DeleteParameter", token => parameters.DeleteAsync(parameter.Name, token), cancellationToken).ConfigureAwait(false);
            return $"{parameter.Name} in {parameter.Region} deleted (this build created it)";
        }

        await retry.RunAsync("SSM PutParameter", token => parameters.PutImageIdAsync(parameter.Name, before, "Put back by Bakery after a failed build", token), cancellationToken)
            .ConfigureAwait(false);
        return $"{parameter.Name} in {parameter.Region} holds {before} again";
    }

    private static string Hint(string? code) => code switch
    {
        "ParameterMaxVersionLimitExceeded" =>
            " (SSM keeps 100 versions and drops the oldest, unless it has a label: move the label to a newer version, or delete the parameter)",
        "ValidationException" =>
            " (a parameter that exists with another data type than aws:ec2:image cannot change it: delete it or choose another name)",
        "AccessDeniedException" =>
            " (the stack may write parameters under its ParameterPrefix only)",
        _ => string.Empty,
    };
}
