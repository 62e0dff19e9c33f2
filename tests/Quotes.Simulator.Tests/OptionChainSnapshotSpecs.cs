using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Quotes.Contracts;
using Quotes.Simulator;
using Xunit;

namespace Quotes.Simulator.Tests;

/// <summary>One simulator for the option chain snapshot specs, which only read.</summary>
public sealed class OptionChainSimulatorFixture : IAsyncLifetime
{
    public const string Key = "sim-key-options-chain";
    public RunningSimulator Simulator { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Simulator = await SimulatorServer.StartAsync(new SimulatorOptions { ApiKeys = [Key], EventsPerSecond = 1 });
        Http = new HttpClient { BaseAddress = Simulator.HttpUrl };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Simulator.DisposeAsync();
    }
}

/// <summary>The simulator answers Polygon's option chain snapshot (<c>/v3/snapshot/options/{underlyingAsset}</c>) in Polygon's shape.</summary>
public sealed class OptionChainSnapshotSpecs(OptionChainSimulatorFixture fixture) : IClassFixture<OptionChainSimulatorFixture>
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string pathAndQuery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OptionChainSimulatorFixture.Key);
        using var response = await fixture.Http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, doc.RootElement.Clone());
    }

    /// <summary>Every page of a chain read, following <c>next_url</c>.</summary>
    private async Task<List<List<JsonElement>>> PagesAsync(string first)
    {
        var pages = new List<List<JsonElement>>();
        for (var url = first; url is not null;)
        {
            var (status, body) = await GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, status);
            pages.Add(body.GetProperty("results").EnumerateArray().ToList());
            url = body.TryGetProperty("next_url", out var next) ? next.GetString() : null;
            Assert.True(pages.Count < 50, "pagination ends");
        }
        return pages;
    }

    private static string Expiry(JsonElement c) => c.GetProperty("details").GetProperty("expiration_date").GetString()!;
    private static decimal Strike(JsonElement c) => c.GetProperty("details").GetProperty("strike_price").GetDecimal();
    private static string Type(JsonElement c) => c.GetProperty("details").GetProperty("contract_type").GetString()!;

    [Fact]
    public async Task Each_contract_carries_Polygons_fields()
    {
        var (status, body) = await GetAsync("/v3/snapshot/options/AAPL?limit=5");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("OK", body.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("request_id").GetString()));
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(5, results.Count);
        var fields = new Dictionary<string, string[]>
        {
            ["day"] = ["open", "high", "low", "close", "volume", "vwap", "change", "change_percent", "previous_close", "last_updated"],
            ["details"] = ["contract_type", "exercise_style", "expiration_date", "shares_per_contract", "strike_price", "ticker"],
            ["greeks"] = ["delta", "gamma", "theta", "vega"],
            ["last_quote"] = ["ask", "ask_size", "bid", "bid_size", "midpoint", "last_updated", "timeframe"],
            ["last_trade"] = ["price", "size", "sip_timestamp", "exchange", "timeframe"],
            ["underlying_asset"] = ["price", "ticker", "change_to_break_even", "last_updated", "timeframe"],
        };
        var price = fixture.Simulator.Market.Walk("AAPL").Price;
        foreach (var c in results)
        {
            foreach (var (part, names) in fields)
                foreach (var name in names) Assert.True(c.GetProperty(part).TryGetProperty(name, out _), $"{part}.{name}");
            foreach (var name in new[] { "break_even_price", "implied_volatility", "open_interest" })
                Assert.Equal(JsonValueKind.Number, c.GetProperty(name).ValueKind);
            Assert.Equal("AAPL", c.GetProperty("underlying_asset").GetProperty("ticker").GetString());
            Assert.Equal(price, c.GetProperty("underlying_asset").GetProperty("price").GetDecimal());
            Assert.StartsWith("O:AAPL", c.GetProperty("details").GetProperty("ticker").GetString());
            var quote = c.GetProperty("last_quote");
            Assert.True(quote.GetProperty("bid").GetDecimal() < quote.GetProperty("ask").GetDecimal());
            Assert.True(c.GetProperty("implied_volatility").GetDouble() > 0);
        }
    }

    [Fact]
    public async Task A_large_chain_comes_in_pages_of_at_most_250_and_its_later_expiries_only_on_later_pages()
    {
        var pages = await PagesAsync("/v3/snapshot/options/MSFT?limit=1000");
        var all = pages.SelectMany(p => p).ToList();
        var lastExpiry = all.Select(Expiry).Max(StringComparer.Ordinal);

        Assert.True(pages.Count >= 2, $"{pages.Count} page(s)");
        Assert.Equal(250, pages[0].Count);
        Assert.All(pages, p => Assert.InRange(p.Count, 1, 250));
        Assert.DoesNotContain(pages[0], c => Expiry(c) == lastExpiry);
        Assert.Equal(all.Count, all.Select(c => c.GetProperty("details").GetProperty("ticker").GetString()).Distinct().Count());
        Assert.Equal(OptionChain.Expiries(DateTimeOffset.UtcNow).Count(), all.Select(Expiry).Distinct().Count());
    }

    [Fact]
    public async Task Filters_narrow_the_chain_and_follow_it_across_pages()
    {
        var expiry = Expiry((await PagesAsync("/v3/snapshot/options/NVDA?limit=250")).SelectMany(p => p).Last());
        var strikes = (await PagesAsync($"/v3/snapshot/options/NVDA?expiration_date={expiry}&contract_type=call&limit=250")).SelectMany(p => p).Select(Strike).ToList();
        var low = strikes.Order().ElementAt(5);
        var high = strikes.Order().ElementAt(12);

        var pages = await PagesAsync($"/v3/snapshot/options/NVDA?expiration_date={expiry}&contract_type=put&strike_price.gte={low.ToString(CultureInfo.InvariantCulture)}" +
                                     $"&strike_price.lte={high.ToString(CultureInfo.InvariantCulture)}&limit=3");
        var found = pages.SelectMany(p => p).ToList();

        Assert.True(pages.Count > 1);
        Assert.Equal(8, found.Count);
        Assert.All(found, c => Assert.Equal(("put", expiry), (Type(c), Expiry(c))));
        Assert.All(found, c => Assert.InRange(Strike(c), low, high));
        Assert.All(found, c => Assert.InRange(c.GetProperty("greeks").GetProperty("delta").GetDouble(), -1, 0));
    }

    [Fact]
    public async Task The_chain_snapshot_and_the_contract_list_list_the_same_contracts()
    {
        var snapshot = (await PagesAsync("/v3/snapshot/options/GOOGL?limit=250")).SelectMany(p => p)
            .Select(c => c.GetProperty("details").GetProperty("ticker").GetString()).ToList();
        var (status, listed) = await GetAsync("/v3/reference/options/contracts?underlying_ticker=GOOGL&limit=1000");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(listed.TryGetProperty("next_url", out _));
        Assert.Equal(listed.GetProperty("results").EnumerateArray().Select(c => c.GetProperty("ticker").GetString()).Order(), snapshot.Order());
    }

    [Fact]
    public async Task The_contract_list_takes_the_same_expiry_and_strike_ranges_as_the_chain_and_pages_with_them()
    {
        // Found from outside: only the exact expiration_date was read, so a range listed every contract.
        var expiries = OptionChain.Expiries(DateTimeOffset.UtcNow).ToList();
        var from = expiries[2].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        const string Filters = "underlying_ticker=GOOGL&contract_type=call&strike_price.gte=1";
        var snapshot = (await PagesAsync($"/v3/snapshot/options/GOOGL?limit=250&contract_type=call&strike_price.gte=1&expiration_date.gte={from}")).SelectMany(p => p)
            .Select(c => c.GetProperty("details").GetProperty("ticker").GetString()).ToList();

        var pages = await PagesAsync($"/v3/reference/options/contracts?{Filters}&expiration_date.gte={from}&limit=100");
        var listed = pages.SelectMany(p => p).ToList();

        Assert.True(pages.Count > 1, "the list comes in several pages");
        Assert.Equal(snapshot.Order(StringComparer.Ordinal), listed.Select(c => c.GetProperty("ticker").GetString()).Order(StringComparer.Ordinal));
        Assert.All(listed, c => Assert.True(string.CompareOrdinal(c.GetProperty("expiration_date").GetString(), from) >= 0));
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("/v3/reference/options/contracts?underlying_ticker=GOOGL&expiration_date.lt=soon")).Status);
    }

    [Fact]
    public async Task The_contract_list_without_an_underlying_lists_every_underlyings_contracts_in_ticker_order_and_pages()
    {
        // Found from outside: without underlying_ticker the list was empty, where Polygon lists every underlying's contracts.
        var (status, first) = await GetAsync("/v3/reference/options/contracts?limit=1000");
        var tickers = first.GetProperty("results").EnumerateArray().Select(c => c.GetProperty("ticker").GetString()!).ToList();
        var underlyings = first.GetProperty("results").EnumerateArray().Select(c => c.GetProperty("underlying_ticker").GetString()).Distinct().ToList();
        var (_, second) = await GetAsync(first.GetProperty("next_url").GetString()!);
        var next = second.GetProperty("results").EnumerateArray().Select(c => c.GetProperty("ticker").GetString()!).ToList();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1000, tickers.Count);
        Assert.True(underlyings.Count > 1, $"{underlyings.Count} underlying(s) on the first page");
        Assert.Equal(tickers.Order(StringComparer.Ordinal), tickers);
        Assert.NotEmpty(next);
        Assert.True(string.CompareOrdinal(tickers[^1], next[0]) < 0, "the next page carries on in ticker order");
    }

    [Fact]
    public async Task A_single_contract_snapshot_is_that_contracts_chain_entry_and_an_unknown_contract_is_404()
    {
        var (_, chain) = await GetAsync("/v3/snapshot/options/AAPL?contract_type=put&limit=1");
        var entry = chain.GetProperty("results")[0];
        var ticker = entry.GetProperty("details").GetProperty("ticker").GetString()!;

        var (status, body) = await GetAsync($"/v3/snapshot/options/AAPL/{ticker}");
        var (unknown, unknownBody) = await GetAsync("/v3/snapshot/options/AAPL/O:AAPL200117C00100000");
        var (elsewhere, _) = await GetAsync($"/v3/snapshot/options/MSFT/{ticker}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("OK", body.GetProperty("status").GetString());
        var result = body.GetProperty("results");
        Assert.Equal(JsonValueKind.Object, result.ValueKind);
        Assert.Equal(entry.GetProperty("details").GetRawText(), result.GetProperty("details").GetRawText());
        Assert.Equal(entry.EnumerateObject().Select(p => p.Name), result.EnumerateObject().Select(p => p.Name));
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal("NOT_FOUND", unknownBody.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, elsewhere);
    }

    [Fact]
    public async Task Sorting_by_strike_descending_puts_the_highest_strike_first()
    {
        var (_, body) = await GetAsync("/v3/snapshot/options/TSLA?sort=strike_price&order=desc&limit=250");
        var strikes = body.GetProperty("results").EnumerateArray().Select(Strike).ToList();

        Assert.Equal(strikes.OrderDescending(), strikes);
        Assert.True(strikes[0] > strikes[^1]);
    }

    [Fact]
    public async Task An_unknown_underlying_has_an_empty_chain_and_a_bad_filter_is_400()
    {
        var (status, body) = await GetAsync("/v3/snapshot/options/NOSUCH");
        var (badStatus, badBody) = await GetAsync("/v3/snapshot/options/AAPL?strike_price.gte=lots");
        var (badType, _) = await GetAsync("/v3/snapshot/options/AAPL?contract_type=straddle");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(body.GetProperty("results").EnumerateArray());
        Assert.False(body.TryGetProperty("next_url", out _));
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal("ERROR", badBody.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badType);
    }
}
