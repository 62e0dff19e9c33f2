namespace Quotes.Host.Composition;

/// <summary><c>Limits:InlineSocketScheduling</c> (default on): whether Kestrel's socket transport schedules inline (<see cref="SocketTransport"/>).</summary>
public sealed class SocketSchedulingOptions
{
    public const string Section = "Limits";

    public bool InlineSocketScheduling { get; set; } = true;
}
