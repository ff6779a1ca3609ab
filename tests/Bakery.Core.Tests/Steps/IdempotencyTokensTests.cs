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

    [Fact]
    public void The_test_instance_token_is_the_one_TestImage_has_always_sent()
    {
        // Pinned: a changed token would make a TestImage retried across a deploy launch a second test instance.
        LaunchOption first = new("m5.large", false, null), later = new("t3.large", false, null);

        Assert.Equal("bakery-test-8477202fabc313711eb36e0b50400b7c4c2acbaab99958fa", IdempotencyTokens.ForTest("build-1", "amazon-ebs", first, 0));
        Assert.Equal("bakery-test-5dc3030c6cac47d0ae4fd707a359955e99487ea0954c4b79", IdempotencyTokens.ForTest("build-1", "amazon-ebs", later, 1));
        Assert.NotEqual(IdempotencyTokens.For("build-1", "amazon-ebs"), IdempotencyTokens.ForTest("build-1", "amazon-ebs", first, 0));
    }
}
