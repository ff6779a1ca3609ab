using Bakery.Core.Logging;
using Bakery.Functions.Handlers;
using Bakery.Functions.Runtime;
using Microsoft.Extensions.Logging;

// The provided.al2023 entry point: one executable for every step, _HANDLER picks which.
using var logging = new JsonLinesLoggerProvider(
    Console.Out, LambdaLogLevels.Parse(Environment.GetEnvironmentVariable(LambdaLogLevels.Variable)), TimeProvider.System);
var logger = logging.CreateLogger("Bakery.Functions");

var runtimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
if (string.IsNullOrEmpty(runtimeApi))
{
    RuntimeLog.RuntimeApiNotSet(logger);
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
return await loop.RunAsync(() => BakeryHandlers.Create(logging).Resolve(handlerName), stopping.Token);
