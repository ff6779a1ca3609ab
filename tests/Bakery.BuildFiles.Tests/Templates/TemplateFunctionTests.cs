using Bakery.BuildFiles.Templates;

namespace Bakery.BuildFiles.Tests.Templates;

public class TemplateFunctionTests
{
    [Theory]
    [InlineData("{{ timestamp }}", "1709967909")]
    [InlineData("{{ uuid }}", "0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("{{ user `name` }}", "My-Image")]
    [InlineData("[{{ user `empty` }}]", "[]")]
    [InlineData("{{ build_name }}", "amazon-ebs")]
    [InlineData("{{ build_type }}", "amazon-ebs")]
    [InlineData("{{ template_dir }}/../shared/x.sh", "/builds/nginx/../shared/x.sh")]
    [InlineData("{{ pwd }}", "/work")]
    [InlineData("{{ packer_version }}", "1.9.4")]
    [InlineData("{{ lower `ÀBC` }}", "àbc")]
    [InlineData("{{ upper `àbc` }}", "ÀBC")]
    [InlineData("{{ replace `a` `b` 1 `aaa` }}", "baa")]
    [InlineData("{{ replace `a` `b` 2 `aaa` }}", "bba")]
    [InlineData("{{ replace `a` `b` -1 `aaa` }}", "bbb")]
    [InlineData("{{ replace `a` `b` 0 `aaa` }}", "aaa")]
    [InlineData("{{ replace `` `-` -1 `ab` }}", "-a-b-")]
    [InlineData("{{ replace `` `-` 2 `ab` }}", "-a-b")]
    [InlineData("{{ replace `x` `y` 3.0 `xx` }}", "yy")]
    [InlineData("{{ `aaa` | replace `a` `b` 1 }}", "baa")]
    [InlineData("{{ replace_all `.` `-` `1.2.3` }}", "1-2-3")]
    [InlineData("{{ replace_all `` `.` `ab` }}", ".a.b.")]
    [InlineData("{{ split `a-b-c` `-` 0 }}", "a")]
    [InlineData("{{ split `a-b-c` `-` 2 }}", "c")]
    [InlineData("{{ split `abc` `` 1 }}", "b")]
    [InlineData("{{ split `a--b` `-` 1 }}", "")]
    [InlineData("{{ clean_resource_name `foo(bar)[1] ./-'@_Z9` }}", "foo(bar)[1] ./-'@_Z9")]
    [InlineData("{{ clean_resource_name `my ami: {x}#` }}", "my ami- -x--")]
    [InlineData("{{ clean_resource_name `é😀` }}", "------")]
    [InlineData("{{ clean_resource_name (printf `ami %s` timestamp) }}", "ami 1709967909")]
    public void PackerFunctionsRenderAsInPacker(string template, string expected)
    {
        Assert.Equal(expected, TestContexts.Render(template));
    }

    [Theory]
    [InlineData("{{ print `a` `b` 1 2 true }}", "ab1 2 true")]
    [InlineData("{{ println `a` 1 }}", "a 1\n")]
    [InlineData("{{ printf `%s=%d %v %t %q %x %%` `k` 42 1.5 true `q\"` 255 }}", "k=42 1.5 true \"q\\\"\" ff %")]
    [InlineData("{{ printf `%d` `x` }}", "%!d(string=x)")]
    [InlineData("{{ printf `%s %s` `x` }}", "x %!s(MISSING)")]
    [InlineData("{{ printf `%s` `x` `y` }}", "x%!(EXTRA string=y)")]
    [InlineData("{{ len `héllo` }}", "6")]
    [InlineData("{{ not `` }} {{ not `x` }} {{ not 0 }}", "true false true")]
    [InlineData("{{ and `a` `` `c` }}|{{ and `a` `b` }}", "|b")]
    [InlineData("{{ or `` `b` }}|{{ or `` 0 }}", "b|0")]
    [InlineData("{{ eq `a` `b` `a` }} {{ eq 1 2 }} {{ ne `a` `b` }}", "true false true")]
    [InlineData("{{ lt 1 2 }} {{ le 2 2 }} {{ gt `b` `a` }} {{ ge 1.5 2.5 }}", "true true true false")]
    [InlineData("{{ html `<a href=\"x\">'&'</a>` }}", "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;")]
    [InlineData("{{ urlquery `a b&c=d/é~` }}", "a+b%26c%3Dd%2F%C3%A9~")]
    public void GoBuiltinsBehaveAsInGo(string template, string expected)
    {
        Assert.Equal(expected, TestContexts.Render(template));
    }

    [Fact]
    public void EnvReadsTheEnvironmentWhereAllowed()
    {
        var context = TestContexts.Build(environment: name => name == "HOME" ? "/home/baker" : null);

        Assert.Equal("/home/baker|", TemplateParser.Parse("{{ env `HOME` }}|{{ env `UNSET` }}").Render(context));
    }

    [Theory]
    [InlineData("xx {{ env `HOME` }}", 6, "may only be used in variable defaults")]
    [InlineData("{{ user `nope` }}", 3, "undefined variable \"nope\"")]
    [InlineData("{{ split `a-b` `-` 5 }}", 3, "the substring 5 was unavailable using the separator value, -, only 2 values were found")]
    [InlineData("{{ split `a-b` `-` -1 }}", 3, "index -1 is negative")]
    [InlineData("{{ consul_key `k` }}", 3, "consul_key is not supported by Bakery")]
    [InlineData("{{ vault `secret/x` `k` }}", 3, "vault is not supported by Bakery")]
    [InlineData("{{ aws_secretsmanager `name` }}", 3, "aws_secretsmanager is not supported by Bakery")]
    [InlineData("{{ aws_secretsmanager_raw `name` }}", 3, "aws_secretsmanager_raw is not supported by Bakery")]
    [InlineData("{{ sed `s/a/b/` `x` }}", 3, "`sed` is deprecated")]
    [InlineData("{{ js `x` }}", 3, "js is not supported by Bakery")]
    [InlineData("{{ lower (len `abc`) }}", 9, "lower expects string as argument 1, got int")]
    [InlineData("{{ len `abc` | lower }}", 15, "lower expects string as argument 1, got int")]
    [InlineData("{{ split `a` `-` (user `name`) }}", 17, "split expects int as argument 3, got string")]
    [InlineData("{{ eq `a` 1 }}", 3, "incompatible types for comparison: string and int")]
    [InlineData("{{ lt true false }}", 3, "invalid type for comparison: bool")]
    [InlineData("{{ index `abc` 1 }}", 3, "can't index item of type string")]
    public void EvaluationErrorsCarryTheOffsetOfTheCall(string template, int offset, string message)
    {
        var parsed = TemplateParser.Parse(template);

        var error = Assert.Throws<TemplateEvaluationException>(() => parsed.Render(TestContexts.Build()));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(offset, error.Offset);
    }

    [Fact]
    public void UserWithoutVariablesIsAnError()
    {
        var error = Assert.Throws<TemplateEvaluationException>(() => TemplateParser.Parse("{{ user `x` }}").Render(new TemplateContext()));

        Assert.Contains("not available", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ build_name }}", "build_name is not available")]
    [InlineData("{{ template_dir }}", "template_dir is not available")]
    public void ContextValuesThatAreMissingAreErrorsAsInPacker(string template, string message)
    {
        var error = Assert.Throws<TemplateEvaluationException>(() => TemplateParser.Parse(template).Render(new TemplateContext()));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TimestampIsTheSameInEveryFieldOfOneBuild()
    {
        var context = TestContexts.Build();

        var first = TemplateParser.Parse("ami-{{ timestamp }}").Render(context);
        var second = TemplateParser.Parse("{{timestamp}}").Render(context);

        Assert.Equal("ami-" + second, first);
    }

    [Fact]
    public void UuidCallsTheGeneratorEachTime()
    {
        var count = 0;
        var context = new TemplateContext { NewUuid = () => new Guid(++count, 0, 0, new byte[8]) };

        var rendered = TemplateParser.Parse("{{ uuid }} {{ uuid }}").Render(context);

        Assert.Equal("00000001-0000-0000-0000-000000000000 00000002-0000-0000-0000-000000000000", rendered);
    }
}
