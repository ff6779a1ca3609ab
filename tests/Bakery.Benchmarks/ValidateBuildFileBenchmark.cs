using System.Text;
using BenchmarkDotNet.Attributes;
using Bakery.BuildFiles;

namespace Bakery.Benchmarks;

/// <summary>
/// Validating a 1 MB build file: many builders with tags and templates, many inline shell provisioners.
/// Target (docs/benchmarks.md): under 50 ms.
/// </summary>
[MemoryDiagnoser]
public class ValidateBuildFileBenchmark
{
    private byte[] _content = [];
    private readonly BuildFileLoader _loader = new(TimeProvider.System);
    private readonly InMemoryFiles _files = new();

    [GlobalSetup]
    public void Setup()
    {
        var json = new StringBuilder();
        json.Append("{\n  \"description\": \"1 MB benchmark build\",\n  \"variables\": {\"region\": \"us-east-1\", \"prefix\": \"bench\"},\n  \"builders\": [\n");
        for (var i = 0; i < 200; i++)
        {
            json.Append(i == 0 ? "" : ",\n");
            json.Append("    {\"type\": \"amazon-ebs\", \"name\": \"b").Append(i)
                .Append("\", \"region\": \"{{user `region`}}\", \"source_ami\": \"ami-12345678\", \"instance_type\": \"t3.micro\",")
                .Append(" \"ami_name\": \"{{user `prefix`}}-").Append(i).Append("-{{timestamp}}\", \"tags\": {");
            for (var t = 0; t < 20; t++)
            {
                json.Append(t == 0 ? "" : ", ").Append("\"Tag").Append(t).Append("\": \"value {{build_name}} ").Append(t).Append("\"");
            }

            json.Append("}}");
        }

        json.Append("\n  ],\n  \"provisioners\": [\n");
        var p = 0;
        while (json.Length < 1_000_000)
        {
            json.Append(p == 0 ? "" : ",\n");
            json.Append("    {\"type\": \"shell\", \"only\": [\"b").Append(p % 200).Append("\"], \"environment_vars\": [\"A=1\", \"B={{user `region`}}\"], \"inline\": [");
            for (var c = 0; c < 20; c++)
            {
                json.Append(c == 0 ? "" : ", ").Append("\"echo step ").Append(c).Append(" of provisioner ").Append(p).Append(" for {{user `prefix`}}\"");
            }

            json.Append("]}");
            p++;
        }

        json.Append("\n  ]\n}\n");
        _content = Encoding.UTF8.GetBytes(json.ToString());
    }

    [Benchmark]
    public bool Validate1MBBuildFile()
    {
        var result = _loader.Load(new BuildFileInput { Path = "bench/build.json", Content = _content, Files = _files });
        if (!result.IsValid)
        {
            throw new InvalidOperationException(string.Join('\n', result.Errors.Take(5)));
        }

        return result.IsValid;
    }

    private sealed class InMemoryFiles : IBundleFiles
    {
        public string GetBuildFileFolder(string buildFilePath) => "/" + BundlePath.GetFolder(buildFilePath);

        public string? ResolveRelative(string buildFileFolder, string pathAsWritten) => BundlePath.Combine(buildFileFolder.TrimStart('/'), pathAsWritten);

        public BundleEntryKind GetKind(string bundlePath) => BundleEntryKind.File;
    }
}
