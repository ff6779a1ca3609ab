using Bakery.Functions.Handlers;
using Bakery.Functions.Logging;
using Bakery.Functions.Runtime;

// The provided.al2023 entry point: one executable for every step, _HANDLER picks which.
var logger = new JsonLineLogger(
    Console.Out, JsonLineLogger.ParseLevel(Environment.GetEnvironmentVariable(JsonLineLogger.LevelVariable)), TimeProvider.System);

var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
if (string.IsNullOrEmpty(runtimeApi))
{
    logger.Log(LambdaLogLevel.Fatal, "AWS_LAMBDA_RUNTIME_API is not set: bootstrap runs under Lambda or the local Lambda service");
    return RuntimeLoop.InitFailedExitCode;
}

using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.Cancel();
};

using var client = new RuntimeApiClient(runtimeApi);
var loop = new RuntimeLoop(client, logger, TimeProvider.System);
var handlerName = Environment.GetEnvironmentVariable(HandlerTable.HandlerVariable);
return await loop.RunAsync(() => BakeryHandlers.Create(logger).Resolve(handlerName), stopping.Token);
