using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>
/// <c>Akka:LogLevel</c>: the actors' own lowest log level, Info unless set; a level that names none stops the node at
/// start with a clear error.
/// </summary>
public sealed class AkkaLogLevelSettingsSpecs
{
    [Theory]
    [InlineData("Verbose")]
    [InlineData("DBG")]
    [InlineData("")]
    public async Task A_log_level_that_names_none_stops_the_node_at_start_with_a_clear_error(string level)
    {
        var error = await HostComposition.StartFailsAsync(new Dictionary<string, string?> { ["Akka:LogLevel"] = level });
        Assert.Contains($"Akka:LogLevel must be Debug, Info, Warning or Error; it is '{level}'", error.Message);
    }

    [Theory]
    [InlineData(null, Akka.Event.LogLevel.InfoLevel)]
    [InlineData("debug", Akka.Event.LogLevel.DebugLevel)]
    [InlineData("Warning", Akka.Event.LogLevel.WarningLevel)]
    public async Task The_actor_system_logs_from_the_level_set(string? level, Akka.Event.LogLevel expected)
    {
        await using var server = await QuotesServer.StartAsync(level is null ? null : new Dictionary<string, string?> { ["Akka:LogLevel"] = level });

        // What every actor's logger is made with (the system's own Log adapter was made before the loggers started).
        Assert.Equal(expected, server.System.EventStream.LogLevel);
        var log = Akka.Event.Logging.GetLogger(server.System, nameof(AkkaLogLevelSettingsSpecs));
        Assert.Equal(expected == Akka.Event.LogLevel.DebugLevel, log.IsDebugEnabled);
        Assert.Equal(expected != Akka.Event.LogLevel.WarningLevel, log.IsInfoEnabled);
        Assert.True(log.IsWarningEnabled);
    }
}
