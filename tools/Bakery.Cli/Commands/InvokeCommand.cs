using System.CommandLine;
using System.Diagnostics;
using Bakery.Local.Lambda;

namespace Bakery.Cli.Commands;

/// <summary>
/// <c>bakery invoke FUNCTION --event FILE [--env K=V]...</c>: one function of template.yaml through the local Lambda
/// service, against moto (AWS_ENDPOINT_URL when set, otherwise a moto started by infra/local/moto.sh).
/// Prints the response; on a function error prints the error document to stderr and exits 1.
/// </summary>
internal static class InvokeCommand
{
    public static Command Create()
    {
        var function = new Argument<string>("FUNCTION") { Description = "Logical id (LaunchFunction), function name or ARN" };
        var eventFile = new Option<string>("--event") { Description = "JSON file with the event", Required = true, HelpName = "file" };
        var env = new Option<string[]>("--env") { Description = "Extra environment for the function (repeatable)", HelpName = "K=V" };
        var parameters = new Option<string[]>("--param") { Description = "Local value of a template reference (!Ref X / !GetAtt X.Arn) (repeatable)", HelpName = "X=V" };
        var template = new Option<string>("--template") { Description = "The SAM template", DefaultValueFactory = _ => "template.yaml", HelpName = "file" };
        var bootstrap = new Option<string>("--bootstrap") { Description = "The published bootstrap", DefaultValueFactory = _ => Path.Combine(".bakery", "publish", "bootstrap", "bootstrap"), HelpName = "file" };
        var command = new Command("invoke", "Run one Lambda function locally (the local Lambda service, against moto)")
        {
            function, eventFile, env, parameters, template, bootstrap,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (!TryPairs(parseResult.GetValue(env) ?? [], "--env", error, out var environment)
                || !TryPairs(parseResult.GetValue(parameters) ?? [], "--param", error, out var parameterValues))
            {
                return 1;
            }

            var payload = await File.ReadAllBytesAsync(parseResult.GetRequiredValue(eventFile), cancellationToken).ConfigureAwait(false);
            if (!environment.ContainsKey("AWS_ENDPOINT_URL"))
            {
                var endpoint = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") ?? await StartMotoAsync(error, cancellationToken).ConfigureAwait(false);
                if (endpoint is null)
                {
                    return 1;
                }

                environment["AWS_ENDPOINT_URL"] = endpoint;
            }

            foreach (var (name, fallback) in new[] { ("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing") })
            {
                environment.TryAdd(name, Environment.GetEnvironmentVariable(name) ?? fallback);
            }

            LocalLambdaService service;
            try
            {
                service = await LocalLambdaService.StartAsync(new LocalLambdaOptions
                {
                    TemplatePath = parseResult.GetRequiredValue(template),
                    BootstrapPath = parseResult.GetRequiredValue(bootstrap),
                    Environment = environment,
                    ParameterValues = parameterValues,
                    Output = line => error.WriteLine(line),
                }).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is LocalTemplateException or FileNotFoundException)
            {
                await error.WriteLineAsync($"bakery invoke: {ex.Message}").ConfigureAwait(false);
                return 1;
            }

            await using (service.ConfigureAwait(false))
            {
                using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
                var name = Uri.EscapeDataString(parseResult.GetRequiredValue(function));
                using var response = await http.PostAsync(new Uri(service.Endpoint, $"/2015-03-31/functions/{name}/invocations"), new ByteArrayContent(payload), cancellationToken).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode && !response.Headers.Contains("X-Amz-Function-Error"))
                {
                    await output.WriteLineAsync(body).ConfigureAwait(false);
                    return 0;
                }

                await error.WriteLineAsync($"bakery invoke: {name} failed: {body}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static bool TryPairs(string[] values, string option, TextWriter error, out Dictionary<string, string> pairs)
    {
        pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error.WriteLine($"bakery invoke: {option} expects NAME=VALUE, got '{value}'");
                return false;
            }

            pairs[value[..equals]] = value[(equals + 1)..];
        }

        return true;
    }

    /// <summary>Starts moto through infra/local/moto.sh (stopped again when this process ends); returns its URL.</summary>
    private static async Task<string?> StartMotoAsync(TextWriter error, CancellationToken cancellationToken)
    {
        var script = Path.Combine("infra", "local", "moto.sh");
        if (!File.Exists(script))
        {
            await error.WriteLineAsync($"bakery invoke: AWS_ENDPOINT_URL is not set and {script} was not found (run from the repository root)").ConfigureAwait(false);
            return null;
        }

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true };
        foreach (var argument in new[] { script, "start", "5000", "--owner", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var printed = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var url = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (process.ExitCode != 0 || url is null)
        {
            await error.WriteLineAsync($"bakery invoke: starting moto failed ({script} exited {process.ExitCode})").ConfigureAwait(false);
            return null;
        }

        return url;
    }
}
