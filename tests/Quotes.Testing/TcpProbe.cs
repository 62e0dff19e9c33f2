using System.Net;
using System.Net.Sockets;

namespace Quotes.Testing;

/// <summary>Whether a port listens on an address: on Linux all of 127/8 reaches lo, so a port bound to 127.0.0.1 refuses 127.0.0.2.</summary>
public static class TcpProbe
{
    public static async Task<bool> AcceptsAsync(IPAddress address, int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(address, port).WaitAsync(TimeSpan.FromSeconds(10));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return false;
        }
    }
}
