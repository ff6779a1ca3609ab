// Moto fixtures point the whole process at their server through environment variables, and the rendering tests set
// the working folder the way a user's shell does: test collections of this assembly must not run at the same time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
