// Moto fixtures point the whole process at their server through environment variables and reset all of its
// state between tests, so test collections of this assembly must not run at the same time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
