namespace Bakery.Hcl.Tests;

/// <summary>Packer's functions as its docs define them (developer.hashicorp.com/packer/docs/templates/hcl_templates/functions).</summary>
public class FunctionTests
{
    [Theory]
    [InlineData("format(\"%s-%03d-%.2f-%v-%q-%t\", \"a\", 7, 3.14159, 4, \"q\", true)", "\"a-007-3.14-4-\\\"q\\\"-true\"")]
    [InlineData("format(\"%-4s|\", \"ab\")", "\"ab  |\"")]
    [InlineData("formatlist(\"%s.example\", [\"a\", \"b\"])", "[ \"a.example\", \"b.example\", ]")]
    [InlineData("join(\",\", [\"a\", \"b\"], [\"c\"])", "\"a,b,c\"")]
    [InlineData("split(\",\", \"a,,b\")", "[ \"a\", \"\", \"b\", ]")]
    [InlineData("lower(\"ABC\")", "\"abc\"")]
    [InlineData("upper(\"abc\")", "\"ABC\"")]
    [InlineData("title(\"hello world\")", "\"Hello World\"")]
    [InlineData("replace(\"a-b-c\", \"-\", \"_\")", "\"a_b_c\"")]
    [InlineData("replace(\"ami-123 v2\", \"/[^a-z0-9-]/\", \"\")", "\"ami-123v2\"")]
    [InlineData("regex_replace(\"1.2.3\", \"[.]\", \"-\")", "\"1-2-3\"")]
    [InlineData("trimspace(\"  x \\n\")", "\"x\"")]
    [InlineData("trimprefix(\"ami-1\", \"ami-\")", "\"1\"")]
    [InlineData("trimsuffix(\"a.pkr.hcl\", \".pkr.hcl\")", "\"a\"")]
    [InlineData("substr(\"hello\", 1, 3)", "\"ell\"")]
    [InlineData("substr(\"hello\", -3, -1)", "\"llo\"")]
    [InlineData("merge({a = 1, b = 2}, {b = 3}, null)", "{ \"a\" = 1 \"b\" = 3 }")]
    [InlineData("lookup({a = 1}, \"b\", \"none\")", "\"none\"")]
    [InlineData("concat([1], [2, 3])", "[ 1, 2, 3, ]")]
    [InlineData("length(\"héllo\")", "5")]
    [InlineData("length({a = 1})", "1")]
    [InlineData("coalesce(\"\", null, \"x\")", "\"x\"")]
    [InlineData("contains([\"a\"], \"a\")", "true")]
    [InlineData("keys({b = 1, a = 2})", "[ \"a\", \"b\", ]")]
    [InlineData("values({b = 1, a = 2})", "[ 2, 1, ]")]
    [InlineData("element([\"a\", \"b\"], 3)", "\"b\"")]
    [InlineData("flatten([[1, [2]], 3])", "[ 1, 2, 3, ]")]
    [InlineData("distinct([1, 1, 2])", "[ 1, 2, ]")]
    [InlineData("compact([\"a\", \"\", \"b\"])", "[ \"a\", \"b\", ]")]
    [InlineData("range(3)", "[ 0, 1, 2, ]")]
    [InlineData("range(1, 7, 3)", "[ 1, 4, ]")]
    [InlineData("zipmap([\"a\", \"b\"], [1, 2])", "{ \"a\" = 1 \"b\" = 2 }")]
    [InlineData("slice([1, 2, 3], 1, 3)", "[ 2, 3, ]")]
    [InlineData("sort([\"b\", \"a\"])", "[ \"a\", \"b\", ]")]
    [InlineData("max(1, 5, 3)", "5")]
    [InlineData("min(4, 2)", "2")]
    [InlineData("ceil(1.2)", "2")]
    [InlineData("floor(-1.2)", "-2")]
    [InlineData("parseint(\"ff\", 16)", "255")]
    [InlineData("jsonencode({b = [1, true, null], a = \"x<\"})", "\"{\\\"a\\\":\\\"x<\\\",\\\"b\\\":[1,true,null]}\"")]
    [InlineData("jsondecode(\"{\\\"a\\\": [1, \\\"x\\\"]}\").a[1]", "\"x\"")]
    [InlineData("base64encode(\"hello\")", "\"aGVsbG8=\"")]
    [InlineData("base64decode(\"aGVsbG8=\")", "\"hello\"")]
    [InlineData("sha256(\"abc\")", "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"")]
    [InlineData("md5(\"abc\")", "\"900150983cd24fb0d6963f7d28e17f72\"")]
    [InlineData("timestamp()", "\"2026-12-04T05:06:07Z\"")]
    [InlineData("formatdate(\"YYYY-MM-DD'T'hh:mm:ssZ\", \"2026-01-02T03:04:05Z\")", "\"2026-01-02T03:04:05Z\"")]
    [InlineData("formatdate(\"DD MMM YYYY hh:mm ZZZ\", timestamp())", "\"04 Dec 2026 05:06 UTC\"")]
    [InlineData("formatdate(\"EEEE, h:mm aa\", \"2026-12-04T15:06:07Z\")", "\"Friday, 15:06 pm\"")]
    [InlineData("timeadd(\"2026-01-01T00:00:00Z\", \"1h30m\")", "\"2026-01-01T01:30:00Z\"")]
    [InlineData("try(var.nope, var.name)", "\"web\"")]
    [InlineData("can(var.nope)", "false")]
    [InlineData("can(var.name)", "true")]
    [InlineData("tostring(5)", "\"5\"")]
    [InlineData("tonumber(\"5\")", "5")]
    [InlineData("toset([\"b\", \"a\", \"b\"])", "[ \"a\", \"b\", ]")]
    [InlineData("basename(\"/a/b.sh\")", "\"b.sh\"")]
    [InlineData("dirname(\"a/b.sh\")", "\"a\"")]
    [InlineData("abspath(\"/a/../b\")", "\"/b\"")]
    [InlineData("join(\"-\", var.zones...)", "")]
    [InlineData("max([3, 9]...)", "9")]
    public void Computes(string expression, string expected)
    {
        if (expected.Length == 0)
        {
            Assert.Throws<HclException>(() => Hcl.Eval(expression));
            return;
        }

        Assert.Equal(expected, Hcl.Show(expression));
    }

    [Fact]
    public void Uuidv4_is_a_fresh_version_4_uuid()
    {
        var first = Hcl.Eval("uuidv4()").AsString;
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", first);
        Assert.NotEqual(first, Hcl.Eval("uuidv4()").AsString);
    }

    [Fact]
    public void File_and_templatefile_read_relative_to_the_template_folder_and_abspath_to_the_working_folder()
    {
        var folder = Directory.CreateTempSubdirectory("bakery-hcl-");
        var elsewhere = Directory.CreateTempSubdirectory("bakery-hcl-cwd-");
        try
        {
            File.WriteAllText(Path.Combine(elsewhere.FullName, "motd.txt"), "decoy in the working folder\n");
            File.WriteAllText(Path.Combine(elsewhere.FullName, "only-here.txt"), "x");
            File.WriteAllText(Path.Combine(folder.FullName, "motd.txt"), "hello\n");
            File.WriteAllText(Path.Combine(folder.FullName, "user-data.tpl"), "#!/bin/sh\n%{ for p in packages ~}\napt-get install -y ${p}\n%{ endfor ~}\necho ${name}");
            var functions = Hcl.Functions(p => File.Exists(p) ? File.ReadAllText(p) : null, folder.FullName, elsewhere.FullName);
            Assert.Equal("hello\n", Hcl.Eval("file(\"motd.txt\")", functions: functions).AsString);
            Assert.False(Hcl.Eval("fileexists(\"only-here.txt\")", functions: functions).AsBool);
            Assert.Equal(Path.Combine(elsewhere.FullName, "motd.txt"), Hcl.Eval("abspath(\"motd.txt\")", functions: functions).AsString);
            Assert.Equal("#!/bin/sh\napt-get install -y nginx\napt-get install -y curl\necho web",
                Hcl.Eval("templatefile(\"user-data.tpl\", { packages = [\"nginx\", \"curl\"], name = \"web\" })", functions: functions).AsString);
            Assert.True(Hcl.Eval("fileexists(\"motd.txt\")", functions: functions).AsBool);
            var missing = Assert.Throws<HclException>(() => Hcl.Eval("file(\"nope.txt\")", functions: functions));
            Assert.Contains("no file at \"nope.txt\"", missing.Message, StringComparison.Ordinal);
            Assert.Contains(folder.FullName, missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            elsewhere.Delete(recursive: true);
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("format(\"%s %s\", \"a\")", "not enough arguments")]
    [InlineData("format(\"%d\", 1.5)", "%d needs a whole number")]
    [InlineData("lookup({}, \"k\")", "no key \"k\"")]
    [InlineData("upper()", "upper takes 1 argument, not 0")]
    [InlineData("try(var.a, var.b)", "no argument could be evaluated")]
    [InlineData("env(\"HOME\")", "there is no function named \"env\"")]
    [InlineData("file(\"x\")", "reading files is not available here")]
    [InlineData("timeadd(\"2026-01-01T00:00:00Z\", \"soon\")", "is not a duration")]
    public void Functions_refuse_bad_arguments(string expression, string message)
    {
        var error = Hcl.Fails(expression);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.hcl:1:", error.Message, StringComparison.Ordinal);
    }
}
