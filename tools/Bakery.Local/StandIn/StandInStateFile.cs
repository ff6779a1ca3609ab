using System.Diagnostics;
using System.Text.Json;

namespace Bakery.Local.StandIn;

/// <summary>
/// <c>.bakery/local/state.json</c>: where <c>bakery local up</c> records the running stand-in
/// (<see cref="StandInDescription"/>). <c>BAKERY_LOCAL_STATE</c> names another file (tests keep their stand-ins apart).
/// </summary>
public static class StandInStateFile
{
    public static string PathFor(string repositoryRoot) =>
        Environment.GetEnvironmentVariable("BAKERY_LOCAL_STATE") is { Length: > 0 } path
            ? System.IO.Path.GetFullPath(path)
            : System.IO.Path.Combine(repositoryRoot, ".bakery", "local", "state.json");

    public static StandInDescription? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), StandInJsonContext.Default.StandInDescription);
        }
        catch (Exception error) when (error is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The recorded stand-in when its serving process is still alive; null otherwise (nothing recorded, or it died).</summary>
    public static StandInDescription? ReadRunning(string path) => Read(path) is { } description && IsServing(description.ProcessId) ? description : null;

    /// <summary>Written whole, then moved into place: a reader never sees half a file.</summary>
    public static void Write(string path, StandInDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(description, StandInJsonContext.Default.StandInDescription));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Deletes the file when it still describes the stand-in served by <paramref name="processId"/>.</summary>
    public static void DeleteIfOwnedBy(string path, int processId)
    {
        if (Read(path) is { } description && description.ProcessId == processId)
        {
            File.Delete(path);
        }
    }

    /// <summary>True when <paramref name="processId"/> runs (pids get reused: it must also be a <c>local serve</c> process).</summary>
    public static bool IsServing(int processId)
    {
        if (processId <= 0)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            if (process.HasExited)
            {
                return false;
            }
        }
        catch (ArgumentException)
        {
            return false;
        }

        var commandLine = $"/proc/{processId}/cmdline";
        if (!File.Exists(commandLine))
        {
            return true;
        }

        string[] arguments;
        try
        {
            arguments = File.ReadAllText(commandLine).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            arguments = [];
        }

        // A process in the middle of execve (`bakery local up` polls while its bash becomes setsid, then dotnet) and a
        // zombie both show an empty command line: only the zombie has exited.
        return arguments.Length == 0
            ? !HasEnded(processId)
            : arguments.Contains("serve", StringComparer.Ordinal) || processId == Environment.ProcessId;
    }

    /// <summary>True when /proc says the process is a zombie or dead (or is gone), i.e. it has exited but may not be reaped yet.</summary>
    internal static bool HasEnded(int processId) => StateOf(processId) is null or 'Z' or 'X' or 'x';

    /// <summary>The process's state letter in /proc (R, S, D, Z, ...); null when it is gone.</summary>
    internal static char? StateOf(int processId)
    {
        try
        {
            // "pid (comm) S ...": the state follows the last ')', since comm may itself hold one.
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var state = stat.AsSpan(stat.LastIndexOf(')') + 1).TrimStart();
            return state.IsEmpty ? null : state[0];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
