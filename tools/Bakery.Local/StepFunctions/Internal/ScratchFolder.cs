namespace Bakery.Local.StepFunctions.Internal;

/// <summary>A temporary folder for one run's input and substitutions files, removed when disposed.</summary>
internal sealed class ScratchFolder : IDisposable
{
    private readonly string _path = Directory.CreateTempSubdirectory("bakery-sfn-").FullName;

    public string Write(string name, string content)
    {
        var file = Path.Combine(_path, name);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_path, recursive: true);
        }
        catch (IOException)
        {
            // Leftover temp files are harmless; never hide the run's own outcome behind a cleanup error.
        }
    }
}
