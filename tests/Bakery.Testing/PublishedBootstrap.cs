using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Bakery.Testing;

/// <summary>
/// The Native AOT <c>bootstrap</c>, published once and shared: by the tests of one process (a lock), by test
/// processes running side by side (a lock file), and across runs (republished only when a source file changed).
/// Lives in <c>.bakery/publish/bootstrap/</c> under the repository root.
/// </summary>
public static class PublishedBootstrap
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static string Directory { get; } = RepositoryPaths.Combine(".bakery", "publish", "bootstrap");

    /// <summary>Publishes if needed and returns the path of the <c>bootstrap</c> executable.</summary>
    public static async Task<string> GetPathAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(Directory)!);
            using var crossProcess = await LockAsync(Path.Combine(Path.GetDirectoryName(Directory)!, "bootstrap.lock")).ConfigureAwait(false);
            var executable = Path.Combine(Directory, "bootstrap");
            var stamp = Path.Combine(Path.GetDirectoryName(Directory)!, "bootstrap.sources");
            var sources = SourceHash();
            if (File.Exists(executable) && File.Exists(stamp) && await File.ReadAllTextAsync(stamp).ConfigureAwait(false) == sources)
            {
                return executable;
            }

            await PublishAsync().ConfigureAwait(false);
            await File.WriteAllTextAsync(stamp, sources).ConfigureAwait(false);
            return executable;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task PublishAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in new[] { "publish", "functions/Bakery.Functions/Bakery.Functions.csproj", "-r", "linux-x64", "-c", "Release", "-o", Directory, "-nologo" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish of the bootstrap failed ({process.ExitCode}):\n{await output.ConfigureAwait(false)}\n{await errors.ConfigureAwait(false)}");
        }
    }

    /// <summary>A hash of everything that goes into the bootstrap: the functions' sources and the build settings.</summary>
    private static string SourceHash()
    {
        var files = System.IO.Directory.EnumerateFiles(RepositoryPaths.Combine("functions"), "*", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Concat(new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" }.Select(name => RepositoryPaths.Combine(name)).Where(File.Exists))
            .Order(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(RepositoryPaths.Root, file)));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static async Task<FileStream> LockAsync(string path)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(500).ConfigureAwait(false);
            }
        }
    }
}
