using Bakery.Hcl.Evaluation;
using Bakery.Hcl.Syntax;

namespace Bakery.Hcl.Tests;

/// <summary>
/// <c>fileset(path, pattern)</c>: the expected values are what <c>packer console</c> (Debian's 1.6.6) printed for the
/// same tree (the conformance suite's corpus-hcl2/fileset.pkr.hcl checks a part of it against Packer on every run).
/// </summary>
public class FileSetTests
{
    // The tree packer console was run against, relative to the template's folder.
    private static readonly string[] Tree =
    [
        "files/.hidden", "files/a.sh", "files/b.txt", "files/b/e.sh", "files/sub/.h2", "files/sub/c.sh", "files/sub/deep/d.sh", "other/x.sh",
    ];

    private static string Run(string expression)
    {
        var functions = new HclFunctions(new HclFunctionOptions
        {
            ListFiles = folder =>
            {
                var start = folder == "." ? "" : folder.TrimEnd('/') + "/";
                return Tree.Where(f => f.StartsWith(start, StringComparison.Ordinal)).Select(f => f[start.Length..]).ToList();
            },
        });
        var value = HclEvaluator.Evaluate(HclParser.ParseExpression("test.hcl", expression), new HclContext { Functions = functions, Variables = new Dictionary<string, HclValue>() });
        return System.Text.RegularExpressions.Regex.Replace(value.ToString(), "\\n *", " ");
    }

    [Theory]
    [InlineData("fileset(\".\", \"files/*.sh\")", "[ \"files/a.sh\", ]")]
    [InlineData("fileset(\"files\", \"**\")", "[ \".hidden\", \"a.sh\", \"b.txt\", \"b/e.sh\", \"sub/.h2\", \"sub/c.sh\", \"sub/deep/d.sh\", ]")]
    [InlineData("fileset(\"files\", \"**/*.sh\")", "[ \"a.sh\", \"b/e.sh\", \"sub/c.sh\", \"sub/deep/d.sh\", ]")]
    [InlineData("fileset(\"files\", \"{a,b}.*\")", "[ \"a.sh\", \"b.txt\", ]")]
    [InlineData("fileset(\"files\", \"{a,sub/c}.sh\")", "[ \"a.sh\", \"sub/c.sh\", ]")]
    [InlineData("fileset(\"files\", \"{a,{b,x}}.*\")", "[ \"a.sh\", \"b.txt\", ]")]
    [InlineData("fileset(\"files\", \"*.{sh,txt}\")", "[ \"a.sh\", \"b.txt\", ]")]
    [InlineData("fileset(\"files\", \"?.sh\")", "[ \"a.sh\", ]")]
    [InlineData("fileset(\"files\", \"[ab].*\")", "[ \"a.sh\", \"b.txt\", ]")]
    [InlineData("fileset(\"files\", \"[a-c]*\")", "[ \"a.sh\", \"b.txt\", ]")]
    [InlineData("fileset(\"files\", \"[^a].*\")", "[ \"b.txt\", ]")]
    [InlineData("fileset(\"files\", \"[!a].*\")", "[ \"a.sh\", ]")]
    [InlineData("fileset(\"files\", \"*\\\\.sh\")", "[ \"a.sh\", ]")]
    [InlineData("fileset(\"files\", \"*\")", "[ \".hidden\", \"a.sh\", \"b.txt\", ]")]
    [InlineData("fileset(\"files\", \"sub/*\")", "[ \"sub/.h2\", \"sub/c.sh\", ]")]
    [InlineData("fileset(\"files\", \"sub/**\")", "[ \"sub/.h2\", \"sub/c.sh\", \"sub/deep/d.sh\", ]")]
    [InlineData("fileset(\"files\", \"**/c.sh\")", "[ \"sub/c.sh\", ]")]
    [InlineData("fileset(\"files\", \"b\")", "[]")]
    [InlineData("fileset(\"files\", \"sub**\")", "[]")]
    [InlineData("fileset(\"files\", \"./a.sh\")", "[ \"a.sh\", ]")]
    [InlineData("fileset(\"files\", \"/a.sh\")", "[ \"a.sh\", ]")]
    [InlineData("fileset(\"files/\", \"*/\")", "[ \".hidden\", \"a.sh\", \"b.txt\", ]")]
    [InlineData("fileset(\"files\", \"sub/../*.sh\")", "[ \"a.sh\", ]")]
    [InlineData("fileset(\"files\", \"../other/*\")", "[ \"../other/x.sh\", ]")]
    [InlineData("fileset(\"nope\", \"*\")", "[]")]
    [InlineData("fileset(1, \"*\")", "[]")]
    public void Matches_as_packer_1_6_6_does(string expression, string expected) => Assert.Equal(expected, Run(expression));

    [Theory]
    [InlineData("fileset(\"files\", \"[\")", "failed to glob pattern (files/[): syntax error in pattern")]
    [InlineData("fileset(\"files\", \"[^\")", "failed to glob pattern (files/[^): syntax error in pattern")]
    [InlineData("fileset(\"files\", \"[]a]*\")", "failed to glob pattern (files/[]a]*): syntax error in pattern")]
    [InlineData("fileset(\"files\", \"{\")", "failed to glob pattern (files/{): syntax error in pattern")]
    [InlineData("fileset(\"files\")", "fileset takes 2 arguments, not 1")]
    public void Refuses_what_packer_refuses(string expression, string message)
    {
        var exception = Assert.ThrowsAny<HclException>(() => Run(expression));
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_file_listing_fileset_says_so()
    {
        var exception = Assert.ThrowsAny<HclException>(() => Hcl.Eval("fileset(\".\", \"*\")"));
        Assert.Contains("listing files is not available here", exception.Message, StringComparison.Ordinal);
    }
}
