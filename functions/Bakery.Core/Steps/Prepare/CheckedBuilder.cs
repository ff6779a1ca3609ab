using Bakery.BuildFiles.Model;

namespace Bakery.Core.Steps.Prepare;

/// <summary>A builder's plan after every check that can refuse it passed: user_data read, source image known.</summary>
internal sealed record CheckedBuilder(BuildPlan Plan, string SourceImageId, string? SourceImageName);
