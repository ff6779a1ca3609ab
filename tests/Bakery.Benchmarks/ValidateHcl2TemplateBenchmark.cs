using System.Text;
using BenchmarkDotNet.Attributes;
using Bakery.BuildFiles;
using Bakery.Hcl.Syntax;

namespace Bakery.Benchmarks;

/// <summary>
/// A 1 MB HCL2 template (one source, ~4,800 shell provisioners with interpolations, function calls and a %{ for }
/// directive each): parsing alone, and <see cref="BuildFileLoader.Load"/> end to end (parse, evaluate, bind).
/// Target (docs/benchmarks.md, issue 16): the JSON engine's 50 ms.
/// </summary>
[MemoryDiagnoser]
public class ValidateHcl2TemplateBenchmark
{
    private string _text = "";
    private byte[] _content = [];
    private readonly BuildFileLoader _loader = new(TimeProvider.System);

    [GlobalSetup]
    public void Setup()
    {
        var builder = new StringBuilder("""
            source "amazon-ebs" "web" {
              region        = "us-east-1"
              source_ami    = "ami-12345678"
              instance_type = "t3.micro"
              ami_name      = "web-{{timestamp}}"
            }

            variable "env" {
              type    = string
              default = "prod"
            }
            locals {
              tags = merge({ Team = "web" }, { Env = var.env })
            }
            build {
              sources = ["source.amazon-ebs.web"]

            """);
        for (var p = 0; builder.Length < 1_000_000; p++)
        {
            builder.Append("  provisioner \"shell\" {\n    inline           = [\"echo step ").Append(p)
                .Append(" ${var.env}\", \"echo ${upper(local.tags.Team)}-${length(local.tags)}\", \"%{ for k, v in local.tags }${k}=${v} %{ endfor }\"]\n")
                .Append("    environment_vars = [\"STEP=").Append(p).Append("\", \"ENV=${var.env}\"]\n    max_retries      = 1\n  }\n");
        }

        builder.Append("}\n");
        _text = builder.ToString();
        _content = Encoding.UTF8.GetBytes(_text);
    }

    [Benchmark]
    public int Parse1MBHcl2Template() => HclParser.ParseFile("bench/build.pkr.hcl", _text).Blocks.Count;

    [Benchmark]
    public bool Validate1MBHcl2Template()
    {
        var result = _loader.Load(new BuildFileInput { Path = "bench/build.pkr.hcl", Content = _content, Files = new LocalBundleFiles("/tmp") });
        if (!result.IsValid)
        {
            throw new InvalidOperationException(string.Join('\n', result.Errors.Take(5)));
        }

        return result.IsValid;
    }
}
