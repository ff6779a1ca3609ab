using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Bakery.Hcl.Syntax;

namespace Bakery.Hcl.Evaluation;

/// <summary>
/// Packer's HCL2 function library (the subset real AWS templates use; docs: developer.hashicorp.com/packer/docs/templates/hcl_templates/functions).
/// Each function checks its arguments and throws <see cref="HclFunctionException"/> with what was wrong.
/// </summary>
public sealed class HclFunctions
{
    private readonly Dictionary<string, Func<IReadOnlyList<HclValue>, HclValue>> _functions = new(StringComparer.Ordinal);
    private readonly HclFunctionOptions _options;

    public HclFunctions(HclFunctionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        AddStrings();
        AddCollections();
        AddNumbers();
        AddEncoding();
        AddFiles();
        AddTime();
        AddConversions();
        foreach (var (name, function) in options.Extra)
        {
            _functions[name] = function;
        }

        if (options.Environment is { } environment)
        {
            _functions["env"] = a => HclValue.String(environment(Str(Exactly(a, 1, "env")[0], "the variable name")) ?? "");
        }
    }

    public IEnumerable<string> Names => _functions.Keys.Concat(["try", "can"]);

    public bool TryGet(string name, [NotNullWhen(true)] out Func<IReadOnlyList<HclValue>, HclValue>? function) =>
        _functions.TryGetValue(name, out function);

    // ---- strings --------------------------------------------------------------------------------------------------

    private void AddStrings()
    {
        _functions["format"] = a => HclValue.String(HclFormat.Format(Str(AtLeast(a, 1, "format")[0], "the format"), a.Skip(1).ToList()));
        _functions["formatlist"] = FormatList;
        _functions["join"] = a =>
        {
            AtLeast(a, 2, "join");
            var separator = Str(a[0], "the separator");
            return HclValue.String(string.Join(separator, a.Skip(1).SelectMany(l => HclConvert.ToList(l, "a list to join")).Select(v => Str(v, "a list item"))));
        };
        _functions["split"] = a => HclValue.List(Str(Exactly(a, 2, "split")[1], "the string").Split(Str(a[0], "the separator")).Select(HclValue.String));
        _functions["lower"] = a => HclValue.String(Str(Exactly(a, 1, "lower")[0], "the string").ToLowerInvariant());
        _functions["upper"] = a => HclValue.String(Str(Exactly(a, 1, "upper")[0], "the string").ToUpperInvariant());
        _functions["title"] = a => HclValue.String(Regex.Replace(Str(Exactly(a, 1, "title")[0], "the string"), @"\b\p{Ll}", m => m.Value.ToUpperInvariant(), RegexOptions.None, TimeSpan.FromSeconds(1)));
        _functions["trimspace"] = a => HclValue.String(Str(Exactly(a, 1, "trimspace")[0], "the string").Trim());
        _functions["chomp"] = a => HclValue.String(Str(Exactly(a, 1, "chomp")[0], "the string").TrimEnd('\n', '\r'));
        _functions["trim"] = a => HclValue.String(Str(Exactly(a, 2, "trim")[0], "the string").Trim(Str(a[1], "the characters").ToCharArray()));
        _functions["trimprefix"] = a =>
        {
            var s = Str(Exactly(a, 2, "trimprefix")[0], "the string");
            var prefix = Str(a[1], "the prefix");
            return HclValue.String(s.StartsWith(prefix, StringComparison.Ordinal) ? s[prefix.Length..] : s);
        };
        _functions["trimsuffix"] = a =>
        {
            var s = Str(Exactly(a, 2, "trimsuffix")[0], "the string");
            var suffix = Str(a[1], "the suffix");
            return HclValue.String(s.EndsWith(suffix, StringComparison.Ordinal) ? s[..^suffix.Length] : s);
        };
        _functions["startswith"] = a => HclValue.Bool(Str(Exactly(a, 2, "startswith")[0], "the string").StartsWith(Str(a[1], "the prefix"), StringComparison.Ordinal));
        _functions["endswith"] = a => HclValue.Bool(Str(Exactly(a, 2, "endswith")[0], "the string").EndsWith(Str(a[1], "the suffix"), StringComparison.Ordinal));
        _functions["strrev"] = a => HclValue.String(new string(Str(Exactly(a, 1, "strrev")[0], "the string").Reverse().ToArray()));
        _functions["replace"] = a =>
        {
            var s = Str(Exactly(a, 3, "replace")[0], "the string");
            var search = Str(a[1], "the search string");
            var replacement = Str(a[2], "the replacement");
            if (search.Length > 1 && search.StartsWith('/') && search.EndsWith('/'))
            {
                return HclValue.String(Pattern(search[1..^1]).Replace(s, GoReplacement(replacement)));
            }

            return HclValue.String(search.Length == 0 ? s : s.Replace(search, replacement, StringComparison.Ordinal));
        };
        _functions["regex_replace"] = a => HclValue.String(Pattern(Str(Exactly(a, 3, "regex_replace")[1], "the pattern")).Replace(Str(a[0], "the string"), GoReplacement(Str(a[2], "the replacement"))));
        _functions["regex"] = a => Regex1(Exactly(a, 2, "regex"), all: false);
        _functions["regexall"] = a => Regex1(Exactly(a, 2, "regexall"), all: true);
        _functions["substr"] = a =>
        {
            var s = Str(Exactly(a, 3, "substr")[0], "the string");
            var offset = (int)Num(a[1], "the offset");
            var length = (int)Num(a[2], "the length");
            if (offset < 0)
            {
                offset += s.Length;
            }

            if (offset < 0 || offset > s.Length)
            {
                throw new HclFunctionException($"offset {offset} is outside the string of length {s.Length}");
            }

            length = length < 0 || offset + length > s.Length ? s.Length - offset : length;
            return HclValue.String(s.Substring(offset, length));
        };
        _functions["indent"] = a =>
        {
            var spaces = new string(' ', (int)Num(Exactly(a, 2, "indent")[0], "the number of spaces"));
            return HclValue.String(Str(a[1], "the string").Replace("\n", "\n" + spaces, StringComparison.Ordinal));
        };
    }

    private HclValue FormatList(IReadOnlyList<HclValue> a)
    {
        var format = Str(AtLeast(a, 1, "formatlist")[0], "the format");
        var rest = a.Skip(1).ToList();
        var length = rest.Where(v => v.Kind == HclValueKind.List).Select(v => v.Items.Count).Distinct().ToList();
        if (length.Count > 1)
        {
            throw new HclFunctionException("every list argument must have the same length");
        }

        var count = length.Count == 0 ? 1 : length[0];
        return HclValue.List(Enumerable.Range(0, count).Select(i =>
            HclValue.String(HclFormat.Format(format, rest.Select(v => v.Kind == HclValueKind.List ? v.Items[i] : v).ToList()))));
    }

    private static HclValue Regex1(IReadOnlyList<HclValue> a, bool all)
    {
        var pattern = Pattern(Str(a[0], "the pattern"));
        var s = Str(a[1], "the string");
        HclValue Result(Match match)
        {
            var groups = pattern.GetGroupNumbers().Where(g => g > 0).ToList();
            if (groups.Count == 0)
            {
                return HclValue.String(match.Value);
            }

            var names = pattern.GetGroupNames().Where(n => !int.TryParse(n, out _)).ToList();
            return names.Count > 0
                ? HclValue.Object(names.Select(n => new KeyValuePair<string, HclValue>(n, HclValue.String(match.Groups[n].Value))))
                : HclValue.List(groups.Select(g => HclValue.String(match.Groups[g].Value)));
        }

        if (all)
        {
            return HclValue.List(pattern.Matches(s).Select(Result));
        }

        var first = pattern.Match(s);
        return first.Success ? Result(first) : throw new HclFunctionException("the pattern does not match the string");
    }

    /// <summary>Go's RE2 syntax is close enough to .NET's for the patterns templates use; the timeout bounds a hostile one.</summary>
    private static Regex Pattern(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException exception)
        {
            throw new HclFunctionException($"invalid regular expression \"{pattern}\": {exception.Message}");
        }
    }

    /// <summary>Go writes capture references as $1 or ${1}, as .NET does; only "$$" differs in neither.</summary>
    private static string GoReplacement(string replacement) => replacement;

    // ---- collections ----------------------------------------------------------------------------------------------

    private void AddCollections()
    {
        _functions["length"] = a =>
        {
            var v = Exactly(a, 1, "length")[0];
            return HclValue.Number(v.Kind switch
            {
                HclValueKind.List => v.Items.Count,
                HclValueKind.Object => v.Fields.Count,
                HclValueKind.String => new StringInfo(v.AsString).LengthInTextElements,
                _ => throw new HclFunctionException($"length() needs a string, list or map, not {HclConvert.Describe(v)}"),
            });
        };
        _functions["concat"] = a => HclValue.List(a.SelectMany(l => HclConvert.ToList(l, "an argument")));
        _functions["merge"] = a =>
        {
            var fields = new Dictionary<string, HclValue>(StringComparer.Ordinal);
            foreach (var map in a.Where(m => !m.IsNull))
            {
                foreach (var (key, value) in HclConvert.ToObject(map, "an argument"))
                {
                    fields[key] = value;
                }
            }

            return HclValue.Object(fields);
        };
        _functions["lookup"] = a =>
        {
            if (a.Count is not (2 or 3))
            {
                throw new HclFunctionException("lookup(map, key, default) takes 2 or 3 arguments");
            }

            var map = HclConvert.ToObject(a[0], "the map");
            var key = Str(a[1], "the key");
            return map.TryGetValue(key, out var value) ? value
                : a.Count == 3 ? a[2] : throw new HclFunctionException($"no key \"{key}\" in the map and no default given");
        };
        _functions["coalesce"] = a => a.FirstOrDefault(v => !v.IsNull && !(v.Kind == HclValueKind.String && v.AsString.Length == 0))
            ?? throw new HclFunctionException("no non-null, non-empty argument");
        _functions["coalescelist"] = a => a.FirstOrDefault(v => v.Kind == HclValueKind.List && v.Items.Count > 0)
            ?? throw new HclFunctionException("no non-empty list argument");
        _functions["contains"] = a => HclValue.Bool(HclConvert.ToList(Exactly(a, 2, "contains")[0], "the list").Contains(a[1]));
        _functions["keys"] = a => HclValue.List(HclConvert.ToObject(Exactly(a, 1, "keys")[0], "the map").Keys.Select(HclValue.String));
        _functions["values"] = a => HclValue.List(HclConvert.ToObject(Exactly(a, 1, "values")[0], "the map").Values);
        _functions["element"] = a =>
        {
            var list = HclConvert.ToList(Exactly(a, 2, "element")[0], "the list");
            if (list.Count == 0)
            {
                throw new HclFunctionException("cannot take an element of an empty list");
            }

            var index = (int)Num(a[1], "the index");
            return list[((index % list.Count) + list.Count) % list.Count];
        };
        _functions["index"] = a =>
        {
            var list = HclConvert.ToList(Exactly(a, 2, "index")[0], "the list");
            var found = list.ToList().FindIndex(v => v.Equals(a[1]));
            return found >= 0 ? HclValue.Number(found) : throw new HclFunctionException("the value is not in the list");
        };
        _functions["flatten"] = a => HclValue.List(Flatten(HclConvert.ToList(Exactly(a, 1, "flatten")[0], "the list")));
        _functions["distinct"] = a => HclValue.List(HclConvert.ToList(Exactly(a, 1, "distinct")[0], "the list").Distinct());
        _functions["compact"] = a => HclValue.List(HclConvert.ToList(Exactly(a, 1, "compact")[0], "the list")
            .Where(v => !v.IsNull && !(v.Kind == HclValueKind.String && v.AsString.Length == 0)));
        _functions["reverse"] = a => HclValue.List(HclConvert.ToList(Exactly(a, 1, "reverse")[0], "the list").Reverse());
        _functions["sort"] = a => HclValue.List(HclConvert.ToList(Exactly(a, 1, "sort")[0], "the list")
            .Select(v => Str(v, "a list item")).Order(StringComparer.Ordinal).Select(HclValue.String));
        _functions["slice"] = a =>
        {
            var list = HclConvert.ToList(Exactly(a, 3, "slice")[0], "the list");
            var start = (int)Num(a[1], "the start index");
            var end = (int)Num(a[2], "the end index");
            if (start < 0 || end > list.Count || start > end)
            {
                throw new HclFunctionException($"slice({start}, {end}) is outside a list of {list.Count}");
            }

            return HclValue.List(list.Skip(start).Take(end - start));
        };
        _functions["range"] = a =>
        {
            if (a.Count is < 1 or > 3)
            {
                throw new HclFunctionException("range takes 1 to 3 arguments");
            }

            var start = a.Count == 1 ? 0 : Num(a[0], "the start");
            var limit = Num(a.Count == 1 ? a[0] : a[1], "the limit");
            var step = a.Count == 3 ? Num(a[2], "the step") : start <= limit ? 1 : -1;
            if (step == 0)
            {
                throw new HclFunctionException("the step cannot be zero");
            }

            var items = new List<HclValue>();
            for (var v = start; step > 0 ? v < limit : v > limit; v += step)
            {
                if (items.Count >= 1024)
                {
                    throw new HclFunctionException("more than 1024 values (Packer's limit)");
                }

                items.Add(HclValue.Number(v));
            }

            return HclValue.List(items);
        };
        _functions["zipmap"] = a =>
        {
            var keys = HclConvert.ToList(Exactly(a, 2, "zipmap")[0], "the keys");
            var values = HclConvert.ToList(a[1], "the values");
            if (keys.Count != values.Count)
            {
                throw new HclFunctionException($"{keys.Count} keys but {values.Count} values");
            }

            return HclValue.Object(keys.Zip(values).Select(p => new KeyValuePair<string, HclValue>(Str(p.First, "a key"), p.Second)));
        };
        _functions["setunion"] = a => HclValue.List(a.SelectMany(l => HclConvert.ToList(l, "a set")).Distinct());
        _functions["chunklist"] = a =>
        {
            var list = HclConvert.ToList(Exactly(a, 2, "chunklist")[0], "the list");
            var size = (int)Num(a[1], "the size");
            return size <= 0 ? HclValue.List([HclValue.List(list)]) : HclValue.List(list.Chunk(size).Select(HclValue.List));
        };
    }

    private static IEnumerable<HclValue> Flatten(IEnumerable<HclValue> items) =>
        items.SelectMany(v => v.Kind == HclValueKind.List ? Flatten(v.Items) : [v]);

    // ---- numbers --------------------------------------------------------------------------------------------------

    private void AddNumbers()
    {
        _functions["max"] = a => HclValue.Number(AtLeast(a, 1, "max").Select(v => Num(v, "an argument")).Max());
        _functions["min"] = a => HclValue.Number(AtLeast(a, 1, "min").Select(v => Num(v, "an argument")).Min());
        _functions["abs"] = a => HclValue.Number(Math.Abs(Num(Exactly(a, 1, "abs")[0], "the number")));
        _functions["ceil"] = a => HclValue.Number(Math.Ceiling(Num(Exactly(a, 1, "ceil")[0], "the number")));
        _functions["floor"] = a => HclValue.Number(Math.Floor(Num(Exactly(a, 1, "floor")[0], "the number")));
        _functions["pow"] = a => HclValue.Number(Math.Pow(Num(Exactly(a, 2, "pow")[0], "the base"), Num(a[1], "the exponent")));
        _functions["signum"] = a => HclValue.Number(Math.Sign(Num(Exactly(a, 1, "signum")[0], "the number")));
        _functions["parseint"] = a =>
        {
            var s = Str(Exactly(a, 2, "parseint")[0], "the string");
            var radix = (int)Num(a[1], "the base");
            try
            {
                return HclValue.Number(radix is 2 or 8 or 10 or 16 ? Convert.ToInt64(s, radix) : throw new HclFunctionException("the base must be 2, 8, 10 or 16"));
            }
            catch (FormatException)
            {
                throw new HclFunctionException($"\"{s}\" is not a number in base {radix}");
            }
        };
    }

    // ---- encoding and hashes --------------------------------------------------------------------------------------

    private void AddEncoding()
    {
        _functions["jsonencode"] = a => HclValue.String(HclJson.Encode(Exactly(a, 1, "jsonencode")[0]));
        _functions["jsondecode"] = a => HclJson.Decode(Str(Exactly(a, 1, "jsondecode")[0], "the JSON text"));
        _functions["base64encode"] = a => HclValue.String(Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(Exactly(a, 1, "base64encode")[0], "the string"))));
        _functions["base64decode"] = a =>
        {
            try
            {
                return HclValue.String(Encoding.UTF8.GetString(Convert.FromBase64String(Str(Exactly(a, 1, "base64decode")[0], "the string"))));
            }
            catch (FormatException)
            {
                throw new HclFunctionException("the string is not valid base64");
            }
        };
        _functions["urlencode"] = a => HclValue.String(Uri.EscapeDataString(Str(Exactly(a, 1, "urlencode")[0], "the string")));
        _functions["md5"] = a => Hash(a, "md5", MD5.HashData);
        _functions["sha1"] = a => Hash(a, "sha1", SHA1.HashData);
        _functions["sha256"] = a => Hash(a, "sha256", SHA256.HashData);
        _functions["sha512"] = a => Hash(a, "sha512", SHA512.HashData);
        _functions["base64sha256"] = a => HclValue.String(Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Str(Exactly(a, 1, "base64sha256")[0], "the string")))));
        _functions["uuidv4"] = a =>
        {
            Exactly(a, 0, "uuidv4");
            return HclValue.String(Guid.NewGuid().ToString());
        };
    }

    private static HclValue Hash(IReadOnlyList<HclValue> a, string name, Func<byte[], byte[]> hash) =>
        HclValue.String(Convert.ToHexStringLower(hash(Encoding.UTF8.GetBytes(Str(Exactly(a, 1, name)[0], "the string")))));

    // ---- files ----------------------------------------------------------------------------------------------------

    private void AddFiles()
    {
        _functions["abspath"] = a => HclValue.String(Absolute(Str(Exactly(a, 1, "abspath")[0], "the path")));
        _functions["basename"] = a => HclValue.String(Path.GetFileName(Str(Exactly(a, 1, "basename")[0], "the path").TrimEnd('/')));
        _functions["dirname"] = a =>
        {
            var dir = Path.GetDirectoryName(Str(Exactly(a, 1, "dirname")[0], "the path"));
            return HclValue.String(string.IsNullOrEmpty(dir) ? "." : dir.Replace('\\', '/'));
        };
        _functions["pathexpand"] = a => HclValue.String(Str(Exactly(a, 1, "pathexpand")[0], "the path"));
        _functions["file"] = a => HclValue.String(Read(Str(Exactly(a, 1, "file")[0], "the path")));
        _functions["fileexists"] = a => HclValue.Bool(ReadOrNull(Str(Exactly(a, 1, "fileexists")[0], "the path")) is not null);
        _functions["fileset"] = a => FileSet(Str(Exactly(a, 2, "fileset")[0], "the path"), Str(a[1], "the pattern"));
        _functions["templatefile"] = a =>
        {
            var path = Str(Exactly(a, 2, "templatefile")[0], "the path");
            var variables = HclConvert.ToObject(a[1], "the variables");
            var text = Read(path);
            try
            {
                // A template file is a heredoc without markers: its own variables only, the same functions minus templatefile.
                var endsWithNewline = text.EndsWith('\n');
                var template = HclParser.ParseExpression(path, "<<EOT_BAKERY_TEMPLATEFILE\n" + text + (endsWithNewline ? "" : "\n") + "EOT_BAKERY_TEMPLATEFILE\n");
                var context = new HclContext { Functions = this, Variables = new Dictionary<string, HclValue>(variables, StringComparer.Ordinal) };
                var rendered = HclEvaluator.Evaluate(template, context).AsString;
                return HclValue.String(endsWithNewline ? rendered : rendered[..^1]);
            }
            catch (HclException exception)
            {
                throw new HclFunctionException($"in {path}: {exception.Message}");
            }
        };
    }

    /// <summary>
    /// Packer's <c>fileset</c>: path and pattern joined and cleaned (so <c>./a</c> and <c>/a</c> in the pattern mean
    /// <c>a</c>), matched against the files (never folders) under the pattern's fixed folder, each match given relative
    /// to the path, sorted.
    /// </summary>
    private HclValue FileSet(string path, string pattern)
    {
        if (_options.ListFiles is null)
        {
            throw new HclFunctionException("listing files is not available here");
        }

        var basePath = HclSlashPath.Clean(path);
        var joined = HclSlashPath.Join(path, pattern);
        HclGlob glob;
        try
        {
            glob = HclGlob.Parse(joined);
        }
        catch (FormatException exception)
        {
            throw new HclFunctionException($"failed to glob pattern ({joined}): {exception.Message}");
        }

        var folder = glob.FixedPrefix is { Length: > 0 } prefix ? prefix : joined.StartsWith('/') ? "/" : ".";
        var matches = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in _options.ListFiles(folder) ?? [])
        {
            var full = folder == "." ? file : folder == "/" ? "/" + file : folder + "/" + file;
            if (glob.IsMatch(full))
            {
                matches.Add(HclSlashPath.Relative(basePath, full));
            }
        }

        return HclValue.List(matches.Select(HclValue.String));
    }

    private string Absolute(string path)
    {
        var combined = Path.IsPathRooted(path) ? path : Path.Combine(_options.WorkingDirectory, path);
        return Path.GetFullPath(combined.Length == 0 ? "." : combined).Replace('\\', '/');
    }

    private string Read(string path) => ReadOrNull(path)
        ?? throw new HclFunctionException($"no file at \"{path}\" (relative paths start at the template's folder{(_options.TemplateDirectory.Length == 0 ? "" : ", " + _options.TemplateDirectory)}, as in Packer; ${{path.cwd}}/... names a file in the folder bakery runs in)");

    private string? ReadOrNull(string path)
    {
        if (_options.ReadFile is null)
        {
            throw new HclFunctionException("reading files is not available here");
        }

        return _options.ReadFile(Path.IsPathRooted(path) || _options.TemplateDirectory.Length == 0 ? path : Path.Combine(_options.TemplateDirectory, path));
    }

    // ---- time -----------------------------------------------------------------------------------------------------

    private void AddTime()
    {
        _functions["timestamp"] = a =>
        {
            Exactly(a, 0, "timestamp");
            return HclValue.String(_options.Now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        };
        _functions["formatdate"] = a => HclValue.String(HclDateFormat.Format(Str(Exactly(a, 2, "formatdate")[0], "the format"), ParseTimestamp(Str(a[1], "the timestamp"))));
        _functions["timeadd"] = a =>
        {
            var time = ParseTimestamp(Str(Exactly(a, 2, "timeadd")[0], "the timestamp"));
            var duration = HclDuration.Parse(Str(a[1], "the duration"));
            return HclValue.String(HclDateFormat.Rfc3339(time + duration));
        };
    }

    private static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && text.Contains('T', StringComparison.Ordinal)
            ? time
            : throw new HclFunctionException($"\"{text}\" is not an RFC 3339 timestamp (e.g. 2006-01-02T15:04:05Z)");

    // ---- conversions ----------------------------------------------------------------------------------------------

    private void AddConversions()
    {
        _functions["tostring"] = a => Exactly(a, 1, "tostring")[0].IsNull ? HclValue.Null : HclValue.String(Str(a[0], "the value"));
        _functions["tonumber"] = a => Exactly(a, 1, "tonumber")[0].IsNull ? HclValue.Null : HclValue.Number(Num(a[0], "the value"));
        _functions["tobool"] = a => Exactly(a, 1, "tobool")[0].IsNull ? HclValue.Null : HclValue.Bool(HclConvert.ToBool(a[0], "the value"));
        _functions["tolist"] = a => HclValue.List(HclConvert.ToList(Exactly(a, 1, "tolist")[0], "the value"));
        _functions["toset"] = a => HclValue.List(HclConvert.ToList(Exactly(a, 1, "toset")[0], "the value").Distinct()
            .OrderBy(v => v.Kind == HclValueKind.String ? v.AsString : v.ToString(), StringComparer.Ordinal));
        _functions["tomap"] = a => HclValue.Object(HclConvert.ToObject(Exactly(a, 1, "tomap")[0], "the value"));
    }

    // ---- argument helpers -----------------------------------------------------------------------------------------

    private static IReadOnlyList<HclValue> Exactly(IReadOnlyList<HclValue> arguments, int count, string name) =>
        arguments.Count == count ? arguments : throw new HclFunctionException($"{name} takes {count} argument{(count == 1 ? "" : "s")}, not {arguments.Count}");

    private static IReadOnlyList<HclValue> AtLeast(IReadOnlyList<HclValue> arguments, int count, string name) =>
        arguments.Count >= count ? arguments : throw new HclFunctionException($"{name} takes at least {count} argument{(count == 1 ? "" : "s")}");

    private static string Str(HclValue value, string what) => HclConvert.ToStringValue(value, what);

    private static double Num(HclValue value, string what) => HclConvert.ToNumber(value, what);
}
