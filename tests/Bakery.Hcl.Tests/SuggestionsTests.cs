using CsCheck;
using F23.StringSimilarity;

namespace Bakery.Hcl.Tests;

/// <summary>
/// The one "did you mean" helper: its distance checked against an independent implementation (F23.StringSimilarity's
/// optimal string alignment), and the answers that legacy JSON and HCL2 errors both rely on.
/// </summary>
public class SuggestionsTests
{
    private static readonly OptimalStringAlignment Reference = new();

    [Fact]
    public void Distance_agrees_with_an_independent_optimal_string_alignment() =>
        Gen.Select(Gen.String[Gen.Char["abcd_"], 0, 12], Gen.String[Gen.Char["abcd_"], 0, 12]).Sample((a, b) =>
            Assert.Equal((int)Reference.Distance(a, b), Suggestions.Distance(a, b)), iter: 5000);

    [Theory]
    [InlineData("timestmp", "timestamp")] // a letter left out
    [InlineData("isoTime", "isotime")] // case is not a typo
    [InlineData("instance_typ", "instance_type")]
    [InlineData("instnace_type", "instance_type")] // two letters swapped count as one edit
    [InlineData("ami_nmae", "ami_name")]
    public void A_typo_finds_the_name_it_was_meant_to_be(string typed, string expected) =>
        Assert.Equal(expected, Suggestions.Closest(typed, ["isotime", "timestamp", "instance_type", "ami_name", "region"]));

    [Theory]
    [InlineData("foo")] // nothing close
    [InlineData("x")] // two edits would reach "ab", but a one-letter name that shares nothing is no typo
    [InlineData("zz")]
    public void A_name_that_is_not_a_typo_of_any_candidate_gets_no_suggestion(string typed) =>
        Assert.Null(Suggestions.Closest(typed, ["ab", "timestamp", "region"]));

    [Fact]
    public void The_allowance_grows_with_the_name_a_third_of_it_may_be_wrong()
    {
        // 12 letters: 4 edits are allowed, 5 are not.
        Assert.Equal("abcdefghijkl", Suggestions.Closest("abcdefghWXYZ", ["abcdefghijkl"]));
        Assert.Null(Suggestions.Closest("abcdefgVWXYZ", ["abcdefghijkl"]));
    }

    [Fact]
    public void On_a_tie_the_first_candidate_wins() =>
        Assert.Equal("cat", Suggestions.Closest("cot", ["cat", "cut"]));

    [Fact]
    public void A_very_long_name_is_not_compared()
    {
        var name = new string('a', 201);
        Assert.Equal(int.MaxValue, Suggestions.Distance(name, name));
        Assert.Null(Suggestions.Closest(name, [name]));
    }
}
