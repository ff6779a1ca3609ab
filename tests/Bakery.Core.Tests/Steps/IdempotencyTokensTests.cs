using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Tests.Steps;

public class IdempotencyTokensTests
{
    [Fact]
    public void A_token_is_stable_for_a_build_and_purpose_and_differs_otherwise()
    {
        var token = IdempotencyTokens.For("build-1", "amazon-ebs/copy/eu-west-1");

        Assert.Equal(token, IdempotencyTokens.For("build-1", "amazon-ebs/copy/eu-west-1"));
        Assert.NotEqual(token, IdempotencyTokens.For("build-1", "amazon-ebs/copy/us-west-2"));
        Assert.NotEqual(token, IdempotencyTokens.For("build-2", "amazon-ebs/copy/eu-west-1"));
        // EC2: "Constraints: Maximum 64 ASCII characters".
        Assert.InRange(token.Length, 1, 64);
        Assert.All(token, c => Assert.True(char.IsAscii(c)));
    }

    [Fact]
    public void The_first_launch_option_keeps_the_builders_token_and_each_later_option_has_its_own()
    {
        LaunchOption first = new("m5.large", false, null), spot = new("m5.large", true, null), other = new("c5.large", false, null);

        Assert.Equal(IdempotencyTokens.For("build-1", "amazon-ebs"), IdempotencyTokens.ForLaunch("build-1", "amazon-ebs", first, 0));
        string[] later = [IdempotencyTokens.ForLaunch("build-1", "amazon-ebs", spot, 1), IdempotencyTokens.ForLaunch("build-1", "amazon-ebs", other, 2)];
        Assert.Equal(3, later.Append(IdempotencyTokens.For("build-1", "amazon-ebs")).Distinct().Count());
        Assert.Equal(later[0], IdempotencyTokens.ForLaunch("build-1", "amazon-ebs", spot, 1));
    }
}
