namespace Bakery.BuildFiles.Settings;

/// <summary>
/// Where the scripts Bakery's settings name (<c>test_image</c>'s <c>script</c>/<c>scripts</c>) are found: the build's bundle,
/// relative to the build file's folder (the sidecar's own folder), locally and once uploaded alike.
/// </summary>
/// <param name="Files">The bundle: the local disk for the CLI, the uploaded S3 prefix for Prepare.</param>
/// <param name="BuildFilePath">The build file the settings belong to.</param>
public sealed record SettingsFiles(IBundleFiles Files, string BuildFilePath);
