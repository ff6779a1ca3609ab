using Bakery.Core.Bake;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Tests.Steps;

public class BuildTimeDataTests
{
    [Fact]
    public void RendersBuildTimeDataThroughTheTemplateEngine()
    {
        var state = StepTestStates.Nginx() with
        {
            SourceImageId = "ami-0123",
            SourceImageName = "ubuntu-22.04",
            Instance = new InstanceInfo { InstanceId = "i-42" },
        };

        var rendered = BuildTimeData.Render("{{ .SourceAMI }} {{ .SourceAMIName | lower }} {{ .BuildRegion }} {{ build `ID` }}", state);

        Assert.Equal("ami-0123 ubuntu-22.04 us-east-1 i-42", rendered);
    }

    [Fact]
    public void KeepsWhatIsNotKnownYetForALaterStep()
    {
        var state = StepTestStates.Nginx();

        Assert.Equal("made by {{ build `ID` }}", BuildTimeData.Render("made by {{ build `ID` }}", state));
    }
}
