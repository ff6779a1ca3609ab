using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using System.Security.Cryptography;
using System.Text;

namespace Bakery.Local.StandIn;

/// <summary>
/// The Native AOT <c>bootstrap</c> in <c>.bakery/publish/bootstrap/</c> (template.yaml's CodeUri, where
/// <c>infra/deploy.sh</c> publishes too), published once and shared by the CLI's local mode and the tests: within a
/// process (a lock), across processes (a lock file, so two never publish into the same obj/ at once) and across runs
/// (republished only when a file under functions/ or the build settings changed — a hash, not timestamps, so a fresh
/// clone or a branch switch is judged by content).
/// </summary>
public sealed class PublishedBootstrapCache(string repositoryRoot)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public string Directory => Path.Combine(repositoryRoot, ".bakery", "publish", "bootstrap");

    public string ExecutablePath => Path.Combine(Directory, "bootstrap");

    private string StampPath => Path.Combine(repositoryRoot, ".bakery", "publish", "bootstrap.sources");

    /// <summary>Publishes if needed (saying so through <paramref name="progress"/> first) and returns the executable's path.</summary>
    public async Task<string> EnsurePublishedAsync(Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var parent = Path.GetDirectoryName(Directory)!;
            System.IO.Directory.CreateDirectory(parent);
            using var crossProcess = await LockAsync(Path.Combine(parent, "bootstrap.lock"), cancellationToken).ConfigureAwait(false);
            var sources = SourceHash();
            if (File.Exists(ExecutablePath) && File.Exists(StampPath)
                && await File.ReadAllTextAsync(StampPath, cancellationToken).ConfigureAwait(false) == sources)
            {
                return ExecutablePath;
            }

            progress?.Invoke("Publishing the Lambda bootstrap (Native AOT; first run or function sources changed; takes a few minutes)...");
            await PublishAsync(cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(StampPath, sources, cancellationToken).ConfigureAwait(false);
            return ExecutablePath;
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        // Cancelling kills dotnet publish (CliWrap's forceful cancellation).
        var result = await CliWrap.Cli.Wrap("dotnet")
            .WithArguments(["publish", "functions/Bakery.Functions/Bakery.Functions.csproj", "-r", "linux-x64", "-c", "Release", "-o", Directory, "-nologo"])
            .WithWorkingDirectory(repositoryRoot)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken)
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish of the bootstrap failed ({result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}");
        }
    }

    /// <summary>A hash of everything that goes into the bootstrap: the functions' sources and the build settings.</summary>
    private string SourceHash()
    {
        var separator = Path.DirectorySeparatorChar;
        var files = System.IO.Directory.EnumerateFiles(Path.Combine(repositoryRoot, "functions"), "*", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{separator}bin{separator}", StringComparison.Ordinal)
                && !file.Contains($"{separator}obj{separator}", StringComparison.Ordinal))
            .Concat(new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" }.Select(name => Path.Combine(repositoryRoot, name)).Where(File.Exists))
            .Order(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(repositoryRoot, file)));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(500, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
