using Microsoft.AspNetCore.Http;

namespace Bakery.Local.Aws;

/// <summary>
/// A part of the stand-in that answers some calls itself (SSM Run Command for local instances) and watches the answers
/// moto gives to others (EC2 launches, stops, images), through the proxy in front of moto.
/// </summary>
public interface IAwsCallInterceptor
{
    /// <summary>Answers the call instead of moto; false to forward it.</summary>
    Task<bool> TryAnswerAsync(AwsCall call, HttpContext http);

    /// <summary>Whether <see cref="OnAnsweredAsync"/> wants moto's answer to this call.</summary>
    bool Watches(AwsCall call);

    /// <summary>Moto's answer to a watched call, before it goes back to the caller.</summary>
    Task OnAnsweredAsync(AwsCall call, int status, byte[] response, CancellationToken cancellationToken);
}
