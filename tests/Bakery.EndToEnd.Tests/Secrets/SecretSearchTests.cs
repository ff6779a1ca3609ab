using System.Text;
using System.Text.Json;

namespace Bakery.EndToEnd.Tests.Secrets;

/// <summary>The search the secrets tests rely on finds the value in every form a leak could take.</summary>
public sealed class SecretSearchTests
{
    private const string Secret = "bkry-0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("xy")]
    public void Finds_the_value_base64_encoded_at_any_alignment_even_in_wrapped_escaped_lines(string before)
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"#!/bin/sh\n{before}echo \"{Secret}\"\n"));
        var wrapped = string.Join("\n", encoded.Chunk(20).Select(chunk => new string(chunk)));
        var search = new SecretSearch(Secret);

        search.Search("wrapped", wrapped);
        search.Search("as JSON", JsonSerializer.Serialize(new { commands = wrapped.Split('\n') }));

        Assert.Equal(2, search.Leaks.Count);
    }

    [Fact]
    public void Finds_the_value_as_written_and_not_its_mask()
    {
        var search = new SecretSearch(Secret);

        search.Search("masked", "DB_PASSWORD='<sensitive>'");
        search.Search("leaked", $"DB_PASSWORD='{Secret}'");

        Assert.StartsWith("leaked: ", Assert.Single(search.Leaks), StringComparison.Ordinal);
        Assert.Equal(2, search.Searched.Count);
    }
}
