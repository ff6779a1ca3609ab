using Bakery.Testing.Moto;

namespace Bakery.Conformance.Tests;

/// <summary>
/// Test classes of this assembly run in parallel (most start <c>packer</c> and <c>bakery</c> processes in a case's own
/// folder and wait for them); what is process-wide runs apart (this collection, <see cref="WorkingFolderCollection"/>).
/// The one moto server of this test assembly; every class that talks to moto joins this collection. It runs alone,
/// after the parallel classes: moto's variables are process-wide and every child process would inherit them.
/// </summary>
[CollectionDefinition(MotoCollection.Name, DisableParallelization = true)]
public sealed class MotoCollectionDefinition : ICollectionFixture<MotoFixture>;
