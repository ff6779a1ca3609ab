using System.Net;
using System.Net.Sockets;

namespace Bakery.Local;

/// <summary>Ports on 127.0.0.1 for servers that must be told their port before they start (moto, scripts).</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// A port free at this moment: the system picks it for a listener that is closed at once. Someone else can take it
    /// before the caller binds it, so callers that start a server on it retry on "address in use".
    /// </summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
