using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Steps;

/// <summary>
/// Tags the AMI (tags) and each of its snapshots (tags, overridden by snapshot_tags, as Packer documents) with
/// CreateTags, plus the bakery tags. CreateTags replaces values, so running it twice is harmless.
/// </summary>
public sealed class TagImageStep(IAwsServices aws, AwsRetry retry) : IBakeStep
{
    private readonly ImageTagger tagger = new(aws, retry);

    public string Name => StepNames.TagImage;

    public async Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var builder = state.RequireBuild(Name).Builder;
        var image = state.RequireImage(Name);
        await tagger.TagAsync(state, builder, image, cancellationToken).ConfigureAwait(false);
        return state.Finished();
    }
}
