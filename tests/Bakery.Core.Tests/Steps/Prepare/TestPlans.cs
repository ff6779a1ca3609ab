using System.Text;
using Bakery.BuildFiles;
using Bakery.Core.Bake;
using Bakery.Core.Bundles;
using Bakery.Core.Steps.Prepare;
using Bakery.Core.Tests.Steps.Fakes;

namespace Bakery.Core.Tests.Steps.Prepare;

/// <summary>Build files loaded by the real engine over an in-memory bundle, for the Prepare classes' unit tests.</summary>
internal static class TestPlans
{
    public const string Bucket = "b";
    public const string Key = "builds/web/web.json";
    public const string Prefix = "builds/web/";

    /// <summary>Puts the build file and <paramref name="files"/> (bundle path → text) in <paramref name="store"/> and loads it.</summary>
    public static (LocatedBuildFile File, LoadedBundle Loaded) Load(InMemoryObjectStore store, string buildFile, params (string Path, string Text)[] files)
    {
        store.Put(Bucket, Key, buildFile);
        foreach (var (path, text) in files)
        {
            store.Put(Bucket, Prefix + path, text);
        }

        var keys = store.Objects.Keys.Where(k => k.StartsWith($"{Bucket}/{Prefix}", StringComparison.Ordinal)).Select(k => k[(Bucket.Length + 1)..]);
        var bundle = new S3BundleFiles(Prefix, keys);
        var result = new BuildFileLoader(TimeProvider.System).Load(new BuildFileInput { Path = Key, Content = Encoding.UTF8.GetBytes(buildFile), Files = bundle });
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var source = new BuildSource { Bucket = Bucket, Key = Key, Prefix = Prefix };
        return (new LocatedBuildFile(source, new(Key, Encoding.UTF8.GetBytes(buildFile))), new LoadedBundle(result, bundle));
    }

    public static string Builders(params string[] names) =>
        string.Join(", ", names.Select(name =>
            $"{{ \"type\": \"amazon-ebs\", \"name\": \"{name}\", \"region\": \"us-east-1\", \"source_ami\": \"ami-1\", \"instance_type\": \"t3.micro\", \"ami_name\": \"web-{name}\" }}"));
}
