using System.Text;
using Bakery.BuildFiles.Model;

namespace Bakery.BuildFiles.Tests.Hcl2;

/// <summary>A 1 MB template (the size docs/benchmarks.md measures for JSON) loads whole: every provisioner evaluated and bound.</summary>
public class Hcl2LargeTemplateTests
{
    internal static string OneMegabyteTemplate(out int provisioners)
    {
        var builder = new StringBuilder(Hcl2TestKit.Source);
        builder.Append("variable \"env\" {\n  type    = string\n  default = \"prod\"\n}\nlocals {\n  tags = merge({ Team = \"web\" }, { Env = var.env })\n}\nbuild {\n  sources = [\"source.amazon-ebs.web\"]\n");
        provisioners = 0;
        while (builder.Length < 1_000_000)
        {
            builder.Append("  provisioner \"shell\" {\n    inline           = [\"echo step ").Append(provisioners)
                .Append(" ${var.env}\", \"echo ${upper(local.tags.Team)}-${length(local.tags)}\", \"%{ for k, v in local.tags }${k}=${v} %{ endfor }\"]\n")
                .Append("    environment_vars = [\"STEP=").Append(provisioners).Append("\", \"ENV=${var.env}\"]\n    max_retries      = 1\n  }\n");
            provisioners++;
        }

        builder.Append("}\n");
        return builder.ToString();
    }

    [Fact]
    public void A_one_megabyte_template_loads_with_every_provisioner()
    {
        var template = OneMegabyteTemplate(out var count);
        var result = BuildFiles.BuildFileTestKit.AssertValid(Hcl2TestKit.Load(template));
        var provisioners = Assert.Single(result.Definition!.Builds).Provisioners;
        Assert.Equal(count, provisioners.Count);
        Assert.Equal(["echo step 7 prod", "echo WEB-2", "Env=prod Team=web "], Assert.IsType<ShellProvisioner>(provisioners[7]).Inline);
    }
}
