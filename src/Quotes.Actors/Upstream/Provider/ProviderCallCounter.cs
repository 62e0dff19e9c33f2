using System.Net;
using Quotes.Actors.Telemetry;

namespace Quotes.Actors.Upstream.Provider;

/// <summary>
/// Counts every provider REST call once, after the resilience pipeline's retries (<c>quotes.provider.requests</c>), by
/// route (the path with the symbol and dates taken out) and outcome; a call a budget of this server refused before it was
/// sent (<see cref="ProviderRateLimiter"/>) as <c>budget</c> or <c>key_budget</c>.
/// </summary>
public sealed class ProviderCallCounter(QuotesMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var route = RouteOf(request.RequestUri);
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            metrics.ProviderRequest(route, OutcomeOf(response.StatusCode));
            return response;
        }
        catch (ProviderBusyException e)
        {
            // Never sent: a budget of this server's refused it, the provider did not.
            metrics.ProviderRequest(route, e.KeyShare ? "key_budget" : "budget");
            throw;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.ProviderRequest(route, "unreachable");
            throw;
        }
    }

    /// <summary>A bounded label for a provider URL: the endpoint, never the symbol, the dates or the query.</summary>
    public static string RouteOf(Uri? uri)
    {
        var segments = (uri?.AbsolutePath ?? "").Trim('/').Split('/');
        return segments switch
        {
            ["v2", "aggs", "ticker", _, "prev"] => "aggs/prev",
            ["v2", "aggs", "ticker", _, "range", ..] => "aggs/range",
            ["v2", "aggs", "grouped", "locale", "us", "market", "stocks", _] => "aggs/grouped",
            ["v2", "snapshot", "locale", "us", "markets", "stocks", "tickers"] => "snapshot/tickers",
            ["v2", "snapshot", "locale", "us", "markets", "stocks", "tickers", _] => "snapshot/ticker",
            ["v3", "reference", "tickers"] => "reference/tickers",
            ["v3", "reference", "options", "contracts", ..] => "reference/options",
            ["v3", "snapshot", "options", _] => "snapshot/options",
            ["v1", "marketstatus", "now"] => "marketstatus",
            _ => "other",
        };
    }

    private static string OutcomeOf(HttpStatusCode status) => (int)status switch
    {
        >= 200 and < 300 => "ok",
        404 => "not_found",
        429 => "rate_limited",
        401 or 403 => "refused",
        >= 400 and < 500 => "client_error",
        _ => "server_error",
    };
}
