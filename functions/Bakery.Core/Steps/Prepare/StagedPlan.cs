using Bakery.BuildFiles.Model;

namespace Bakery.Core.Steps.Prepare;

/// <summary>
/// A plan once its files are staged: <see cref="Real"/> with real values (deadlines are computed from it),
/// <see cref="Masked"/> as the state shows it, and the staged keys this plan uses.
/// </summary>
internal sealed record StagedPlan(BuildPlan Real, BuildPlan Masked, IReadOnlyList<string> Keys);
