using System.Net;
using System.Runtime.CompilerServices;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>
/// A host stopped and disposed inside a process that goes on (an application embedding the server, the test suite) lets
/// go of what it held: no timer of its own keeps its actor system and services in memory. The REST rate limiter's buckets
/// used to (ASP.NET's rate-limiting middleware never disposes its limiter, whose timer fires every 100 ms): every host the
/// suite started stayed, 3 GB of them by the end, each with its timer running.
/// </summary>
public sealed class HostDisposalSpecs
{
    [Fact]
    public async Task A_disposed_host_is_released_with_its_actor_system()
    {
        // The first host of a process stays referenced by OpenTelemetry's self-diagnostics, a process-wide worker that
        // keeps the execution context it was started in (the host's); a host after it has no such reason to stay.
        await (await QuotesServer.StartAsync()).DisposeAsync();

        var released = await StartServeAndDisposeAsync();

        // Work the host had already queued (a delayed task, a scheduled callback) may hold it for a moment after its
        // disposal; nothing may hold it for good.
        await Eventually.HoldsAsync(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            Assert.False(released.IsAlive, "the disposed host's actor system is still referenced");
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(500));
    }

    /// <summary>Starts a host, sends a REST request through its rate limiter, disposes it; only a weak reference leaves.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> StartServeAndDisposeAsync()
    {
        var server = await QuotesServer.StartAsync();
        using (var http = server.CreateHttpClient(QuotesServer.ClientKey))
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/market/status")).StatusCode);
        var system = new WeakReference(server.System);
        await server.DisposeAsync();
        return system;
    }
}
