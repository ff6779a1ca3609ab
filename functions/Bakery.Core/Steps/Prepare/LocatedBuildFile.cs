using Bakery.Core.Aws;
using Bakery.Core.Bake;

namespace Bakery.Core.Steps.Prepare;

/// <summary>A build file's bytes and where it lives: its bucket, key and folder (its bundle).</summary>
internal sealed record LocatedBuildFile(BuildSource Source, StoredObject File)
{
    /// <summary>The build file as errors name it: <c>s3://bucket/key</c>.</summary>
    public string Described => $"s3://{Source.Bucket}/{Source.Key}";
}
