using Bakery.Core.Bake;

namespace Bakery.Core.Tests.Bake;

public sealed class LambdaErrorCauseTests
{
    [Theory]
    [InlineData("""{"errorType":"ProvisionerFailed","errorMessage":"script exited 2"}""", "script exited 2")]
    [InlineData("""  {"errorMessage":"leading spaces","errorType":"X"}""", "leading spaces")]
    [InlineData("Cleanup failed: boom. Original Provisioning error: exit 1", "Cleanup failed: boom. Original Provisioning error: exit 1")]
    [InlineData("""{"errorType":"X"}""", """{"errorType":"X"}""")]
    [InlineData("""{"errorMessage":42}""", """{"errorMessage":42}""")]
    [InlineData("{not json", "{not json")]
    public void A_cause_reads_as_its_error_message_or_as_itself(string cause, string expected) =>
        Assert.Equal(expected, LambdaErrorCause.MessageOf(cause));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void No_cause_is_no_message(string? cause) => Assert.Null(LambdaErrorCause.MessageOf(cause));
}
