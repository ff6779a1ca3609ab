using Microsoft.AspNetCore.Http;

namespace Bakery.Local.Lambda;

/// <summary>
/// What a <see cref="RuntimeApiServer"/>'s calls mean: the local Lambda service's execution environment, the runtime
/// loop's tests and the cold-start benchmark each answer them their own way. Each method sets the status it answers
/// with; request bodies arrive read.
/// </summary>
public interface IRuntimeApiHost
{
    /// <summary><c>GET /invocation/next</c>: hand out an event with <see cref="RuntimeApiServer.WriteEventAsync"/>, or keep the caller waiting.</summary>
    Task NextAsync(HttpContext http);

    /// <summary><c>POST /invocation/{requestId}/response</c>.</summary>
    Task ResponseAsync(string requestId, byte[] body, HttpContext http);

    /// <summary><c>POST /invocation/{requestId}/error</c>, with the <c>Lambda-Runtime-Function-Error-Type</c> header if sent.</summary>
    Task ErrorAsync(string requestId, byte[] body, string errorType, HttpContext http);

    /// <summary><c>POST /init/error</c>, with the <c>Lambda-Runtime-Function-Error-Type</c> header if sent.</summary>
    Task InitErrorAsync(byte[] body, string errorType, HttpContext http);
}
