namespace Bakery.Core.Aws;

/// <summary>Something that still needs an image: an instance launched from it, or a launch template version naming it.</summary>
/// <param name="ImageId">The image it needs.</param>
/// <param name="By">Who needs it, as the user knows it: <c>instance i-0abc (running)</c>, <c>launch template lt-0abc (web) version 3</c>.</param>
public sealed record ImageUse(string ImageId, string By);
