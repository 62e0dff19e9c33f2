namespace Quotes.Actors.Sessions;

/// <summary>The close reasons sessions send (the WebSocket close frame's text), shared with <see cref="SocketCounters"/>.</summary>
public static class SessionCloses
{
    public const string TooManyRequests = "too many requests";
    public const string AuthTimeout = "auth timeout";
}
