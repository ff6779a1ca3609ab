using Bakery.BuildFiles;
using Bakery.BuildFiles.Model;
using Bakery.Core.Bundles;

namespace Bakery.Core.Steps.Prepare;

/// <summary>A build file loaded with its bundle: the valid definition (at least one build), its redactor, the bundle's files.</summary>
internal sealed record LoadedBundle(BuildFileResult Result, S3BundleFiles Bundle)
{
    public BuildDefinition Definition => Result.Definition!;

    public Redactor Redactor => Result.Redactor;
}
