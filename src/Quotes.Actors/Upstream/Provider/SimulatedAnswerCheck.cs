using Microsoft.Extensions.Logging;
using Quotes.Actors.Fanout;
using Quotes.Contracts.Polygon;

namespace Quotes.Actors.Upstream.Provider;

/// <summary>
/// Reads the REST upstream's own word on what it is: an answer marked <c>X-Simulated: true</c> (as the AkkaQuotes simulator
/// marks every answer, like its socket's <c>connected</c> status) comes from a simulator. The node's feed then says
/// <c>simulator</c> (<see cref="NodeStatus.NoticeRestAnswer"/>); under <c>Polygon:Required</c> the answer is refused with
/// <see cref="PolygonFailure.Simulated"/>, before any cache sees it. Outermost in the provider pipeline: one look per call,
/// at its final answer. Each change is logged once.
/// </summary>
public sealed class SimulatedAnswerCheck(NodeStatus status, bool required, ILogger<SimulatedAnswerCheck> log) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var simulated = response.Headers.TryGetValues(PolygonStatus.SimulatedHeader, out var values)
                        && values.Any(v => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase));
        var host = request.RequestUri?.Authority;
        if (status.NoticeRestAnswer(simulated))
        {
            // Loud only when it is news, as for the socket: a node configured for a simulator (or on its built-in one) already says so.
            var level = status.ConfiguredFeed == NodeStatus.SimulatorFeed ? LogLevel.Information : LogLevel.Warning;
            if (!simulated) log.Log(level, "The REST upstream {Host} no longer marks its answers simulated", host);
            else if (required)
                log.LogError("Polygon:Required is set and the REST upstream {Host} marks its answers simulated ({Header}: true): they are refused", host,
                    PolygonStatus.SimulatedHeader);
            else log.Log(level, "The REST upstream {Host} turned out to be a SIMULATOR ({Header}: true): its prices are SIMULATED", host, PolygonStatus.SimulatedHeader);
        }
        if (!simulated || !required) return response;
        response.Dispose();
        throw new PolygonRestException(PolygonFailure.Simulated, 0,
            $"the REST upstream {host} answered with simulated data ({PolygonStatus.SimulatedHeader}: true) and Polygon:Required is set");
    }
}
