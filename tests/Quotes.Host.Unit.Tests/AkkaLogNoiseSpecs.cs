using Akka.Remote;
using Quotes.Host.Composition;
using Serilog.Events;
using Serilog.Parsing;
using Xunit;

namespace Quotes.Host.Unit.Tests;

/// <summary>
/// The Akka lines dropped from the log, as Akka.Logger.Serilog hands them over (Akka's positional format as the template),
/// and the near ones that stay.
/// </summary>
public sealed class AkkaLogNoiseSpecs
{
    private const string Gated = "Association with remote system {0} has failed; address is now gated for {1} ms. Reason is: [{2}]";

    private static LogEvent Event(LogEventLevel level, string template, Exception? exception, params object[] args) =>
        new(DateTimeOffset.UtcNow, level, exception, new MessageTemplateParser().Parse(template),
            args.Select((a, i) => new LogEventProperty(i.ToString(), new ScalarValue(a))));

    [Fact]
    public void A_peer_closing_its_connection_is_not_logged_the_cluster_reports_a_crash()
    {
        // Akka.Remote's own exception (internal to it), as its endpoint writer throws it.
        var type = typeof(RemoteSettings).Assembly.GetType("Akka.Remote.EndpointDisassociatedException", throwOnError: true)!;
        var disassociated = (Exception)Activator.CreateInstance(type, System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public
            | System.Reflection.BindingFlags.NonPublic, null, ["Disassociated"], null)!;

        Assert.True(AkkaLogNoise.IsNoise(Event(LogEventLevel.Warning, Gated, null, "akka.tcp://quotes@10.0.0.3:4053", 5000d, disassociated)));
        Assert.True(AkkaLogNoise.IsNoise(Event(LogEventLevel.Error, "Disassociated", disassociated)));

        // The same warning for another reason (a failed write, a frame that cannot be read) stays, as do other errors and the
        // cluster's own word on a peer that crashed.
        Assert.False(AkkaLogNoise.IsNoise(Event(LogEventLevel.Warning, Gated, null, "akka.tcp://quotes@10.0.0.3:4053", 5000d,
            new System.Net.Sockets.SocketException(111))));
        Assert.False(AkkaLogNoise.IsNoise(Event(LogEventLevel.Error, "Disassociated", new InvalidOperationException("Disassociated"))));
        Assert.False(AkkaLogNoise.IsNoise(Event(LogEventLevel.Warning, "Cluster Node [{0}] - Marking node(s) as UNREACHABLE [{1}]. Node roles [{2}]", null,
            "akka.tcp://quotes@10.0.0.1:4053", "Member(akka.tcp://quotes@10.0.0.3:4053, Up)", "quotes")));
    }

    [Fact]
    public void The_singleton_proxys_early_warning_is_not_logged()
    {
        Assert.True(AkkaLogNoise.IsNoise(Event(LogEventLevel.Warning,
            "ClusterSingletonProxy failed to find an associated singleton named [{0}] in role [{1}] after {2} seconds.", null, "polygon-upstream", "quotes", 30)));
        Assert.False(AkkaLogNoise.IsNoise(Event(LogEventLevel.Information,
            "ClusterSingletonProxy failed to find an associated singleton named [{0}] in role [{1}] after {2} seconds.", null, "polygon-upstream", "quotes", 30)));
    }
}
