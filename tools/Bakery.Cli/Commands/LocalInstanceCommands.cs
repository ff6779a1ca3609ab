using System.CommandLine;
using System.Globalization;
using Bakery.Local.Instances;

namespace Bakery.Cli.Commands;

/// <summary>
/// <c>bakery local images</c>, <c>bakery local run AMI -- COMMAND</c> and <c>bakery local import TARBALL AMI</c>: the
/// images the stand-in holds the files of, a look inside one (a fresh instance from it runs the command and is
/// terminated), and a root filesystem of your own as an image. None needs moto.
/// </summary>
internal static partial class LocalInstanceCommands
{
    public static Command Images()
    {
        var images = new Command("images", "List the local images: AMIs baked on the local stand-in whose files it holds.");
        images.SetAction(parseResult => ListImages(parseResult.InvocationConfiguration.Output));
        return images;
    }

    public static Command Run()
    {
        var image = new Argument<string>("ami") { Description = "The image: a local image (bakery local images), or any AMI id (runs on the base image)." };
        var command = new Argument<string[]>("command") { Description = "The command to run in the instance, after --.", Arity = ArgumentArity.OneOrMore };
        var run = new Command("run", "Start a fresh local instance from an image, run a command in it as root, print its output and exit code, and terminate it.")
        {
            image,
            command,
        };
        run.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(image)!, parseResult.GetValue(command)!, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return run;
    }

    public static Command Import()
    {
        var tarball = new Argument<string>("tarball") { Description = "A root filesystem tarball (.tar, .tar.gz, .tar.xz, .tar.zst), e.g. from `docker export` or a distribution's rootfs download." };
        var image = new Argument<string>("ami") { Description = "The AMI id to register it as: the source_ami of the builds that should run on it." };
        var name = new Option<string>("--name") { Description = "A name to show in bakery local images." };
        var import = new Command("import", "Import a root filesystem tarball as a local image: instances of that AMI id run on it instead of the Debian trixie base (needs root).")
        {
            tarball,
            image,
            name,
        };
        import.SetAction((parseResult, cancellationToken) => ImportAsync(
            parseResult.GetValue(tarball)!, parseResult.GetValue(image)!, parseResult.GetValue(name), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return import;
    }

    internal static async Task<int> ImportAsync(string tarball, string imageId, string? name, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!AmiId().IsMatch(imageId))
        {
            error.WriteLine($"bakery local import: '{imageId}' is not an AMI id: give the id your build file's source_ami names (ami- and 8 or 17 hex digits)");
            return 2;
        }

        if (!Environment.IsPrivilegedProcess)
        {
            error.WriteLine("bakery local import: run it as root: the root filesystem keeps its owners and device files (as local instances need root)");
            return 2;
        }

        var paths = LocalInstancePaths.Default();
        var store = new LocalImageStore(paths, BaseImage.Default());
        try
        {
            var image = await store.ImportAsync(imageId, name, tarball, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"{image.ImageId}: imported {tarball} ({store.LayerOf(image.ImageId)}); builds whose source_ami is {image.ImageId} run on it locally");
            return 0;
        }
        catch (Exception failure) when (failure is IOException or InvalidOperationException)
        {
            error.WriteLine($"bakery local import: {failure.Message}");
            return 1;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^ami-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial System.Text.RegularExpressions.Regex AmiId();

    internal static int ListImages(TextWriter output)
    {
        var paths = LocalInstancePaths.Default();
        var baseImage = BaseImage.Default();
        var store = new LocalImageStore(paths, baseImage);
        var list = store.List();
        output.WriteLine($"Base image: {baseImage.Description} ({(baseImage.IsInstalled ? baseImage.RootFilesystem : "not installed: infra/local/base-image.sh install")})");
        if (list.Count == 0)
        {
            output.WriteLine($"No local images in {paths.Images} (a bake on the local stand-in makes one).");
            return 0;
        }

        output.WriteLine($"{"IMAGE",-22} {"CREATED (UTC)",-20} {"FROM",-22} NAME");
        foreach (var item in list)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{item.ImageId,-22} {item.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} {(store.Holds(item.ParentImageId) ? item.ParentImageId : item.Base),-22} {item.Name}"));
        }

        return 0;
    }

    internal static async Task<int> RunAsync(string imageId, string[] command, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var baseImage = BaseImage.Default();
        if (await InstanceSupport.WhyNotAsync(baseImage, cancellationToken).ConfigureAwait(false) is { } why)
        {
            error.WriteLine($"bakery local run: local instances cannot run here: {why}");
            return 2;
        }

        var paths = LocalInstancePaths.Default();
        var store = new LocalImageStore(paths, baseImage);
        var gate = new Lock();
        await using var instances = new LocalInstances(paths, store, new LocalInstancesOutput
        {
            OnSay = (_, text) =>
            {
                lock (gate)
                {
                    error.WriteLine($"==> {text}");
                }
            },
        });
        var instanceId = "i-local" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5));
        instances.Launch(instanceId, imageId, null);
        var instance = instances.Find(instanceId)!;
        for (var i = 0; i < 1500 && instance.State == LocalInstanceState.Pending; i++)
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        if (instance.State != LocalInstanceState.Running)
        {
            error.WriteLine($"bakery local run: the instance did not start: {instance.FailureReason}");
            return 2;
        }

        using var process = instance.StartCommand(command, "/root");
        var stdout = PumpAsync(process.StandardOutput, output, gate);
        var stderr = PumpAsync(process.StandardError, error, gate);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        var code = process.ExitCode;
        error.WriteLine($"==> exit code {code.ToString(CultureInfo.InvariantCulture)} ({string.Join(' ', command)} in a fresh instance of {imageId}; terminated)");
        await instances.TerminateAsync(instanceId).ConfigureAwait(false);
        return code;
    }

    private static async Task PumpAsync(StreamReader reader, TextWriter writer, Lock gate)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (gate)
            {
                writer.WriteLine(line);
                writer.Flush();
            }
        }
    }
}
