namespace Bakery.Cli.Build;

/// <summary>The Bakery checkout the CLI runs from (template.yaml, statemachine/, infra/local/): BAKERY_ROOT, or found above the CLI or the current folder.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        if (Environment.GetEnvironmentVariable("BAKERY_ROOT") is { Length: > 0 } root)
        {
            return Path.GetFullPath(root);
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")) && File.Exists(Path.Combine(dir.FullName, "template.yaml")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("the Bakery repository (Serverless.sln, template.yaml) was not found above the CLI or the current folder; set BAKERY_ROOT");
    }
}
