using BenchmarkDotNet.Running;
using Bakery.Benchmarks;

return args.Length > 0 && args[0] == "cpu"
    ? CpuTimeLoop.Run(args)
    : RunBenchmarkDotNet(args);

static int RunBenchmarkDotNet(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
