using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Quotes.Contracts;
using Quotes.Simulator;
using Quotes.Testing;
using Xunit;

namespace Quotes.Host.Tests;

/// <summary>A host and simulator shared by the REST shape specs, which change no faults.</summary>
public sealed class RestServerFixture : IAsyncLifetime
{
    public QuotesServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await QuotesServer.StartAsync(new Dictionary<string, string?>
    {
        ["Polygon:PageSize"] = "50", // forces many provider pages for intraday history
        ["Api:RateLimit:Burst"] = "10000",
        ["Api:RateLimit:PermitsPerSecond"] = "10000",
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Every REST endpoint against the simulator: shapes, values, validation, auth.</summary>
public sealed class RestApiSpecs(RestServerFixture fixture) : IClassFixture<RestServerFixture>
{
    private QuotesServer Server => fixture.Server;
    private MarketSimulator Market => Server.Simulator!.Market;

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(string path, string? key = QuotesServer.ClientKey)
    {
        using var http = Server.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        return (response.StatusCode, doc.RootElement.Clone(), response);
    }

    private async Task<JsonElement> DataAsync(string path)
    {
        var (status, body, _) = await GetAsync(path);
        Assert.True(status == HttpStatusCode.OK, $"{path}: {status} {body}");
        Assert.True(body.GetProperty("success").GetBoolean());
        return body.GetProperty("data");
    }

    private async Task ErrorAsync(string path, HttpStatusCode expected, string code)
    {
        var (status, body, _) = await GetAsync(path);
        Assert.Equal(expected, status);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task A_streaming_symbol_is_quoted_live()
    {
        await using var client = await Server.ConnectAsync();
        await client.SendAsync("""{"type":"subscribe","symbols":["AAPL"]}""");
        var streamed = await client.ExpectAsync("type", "quote");

        var quote = await DataAsync("/api/market/quote/aapl");

        Assert.Equal("live", quote.GetProperty("source").GetString());
        Assert.Equal("AAPL", quote.GetProperty("symbol").GetString());
        // The same state the stream comes from: never behind what the client was already sent.
        Assert.True(quote.GetProperty("seq").GetInt64() >= streamed.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task A_quote_made_from_an_aggregate_carries_that_aggregates_bar_on_the_socket_and_in_REST()
    {
        // The façade relays each aggregate exactly as the upstream sent it: the reference for what the quote was made from.
        await using var polygon = await TestSocket.ConnectAsync(Server.SocketUri("/polygon/stocks", key: null));
        await polygon.SendAsync($$"""{"action":"auth","params":"{{QuotesServer.ClientKey}}"}""");
        await polygon.SendAsync("""{"action":"subscribe","params":"A.AMD"}""");
        await polygon.ExpectAsync(m => m.GetProperty("ev").GetString() == "A");
        await using var client = await Server.ConnectAsync();
        await client.SendAsync("""{"type":"subscribe","symbols":["AMD"]}""");

        var quote = await client.ExpectAsync(m => TestSocket.IsQuote(m, "AMD") && !m.TryGetProperty("snapshot", out _));
        var timestamp = quote.GetProperty("timestamp").GetInt64();
        var aggregate = await polygon.ExpectAsync(m => m.GetProperty("ev").GetString() == "A" && m.GetProperty("e").GetInt64() == timestamp);

        Assert.Equal(aggregate.GetProperty("c").GetDecimal(), quote.GetProperty("price").GetDecimal());
        Assert.Equal(
            (aggregate.GetProperty("o").GetDecimal(), aggregate.GetProperty("h").GetDecimal(), aggregate.GetProperty("l").GetDecimal(), aggregate.GetProperty("v").GetInt64()),
            (quote.GetProperty("barOpen").GetDecimal(), quote.GetProperty("barHigh").GetDecimal(), quote.GetProperty("barLow").GetDecimal(), quote.GetProperty("barVolume").GetInt64()));

        var live = await DataAsync("/api/market/quote/AMD");
        Assert.Equal("live", live.GetProperty("source").GetString());
        Assert.InRange(live.GetProperty("price").GetDecimal(), live.GetProperty("barLow").GetDecimal(), live.GetProperty("barHigh").GetDecimal());
        Assert.True(live.GetProperty("barVolume").GetInt64() > 0);
    }

    [Fact]
    public async Task A_quote_from_the_providers_snapshot_carries_no_bar()
    {
        var quote = await DataAsync("/api/market/quote/INTC");

        Assert.Equal("snapshot", quote.GetProperty("source").GetString());
        foreach (var field in new[] { "barOpen", "barHigh", "barLow", "barVolume" }) Assert.False(quote.TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task A_symbol_nobody_streams_is_quoted_from_the_snapshot()
    {
        var quote = await DataAsync("/api/market/quote/MSFT");

        var walk = Market.Walk("MSFT");
        Assert.Equal("snapshot", quote.GetProperty("source").GetString());
        Assert.Equal(walk.PreviousClose, quote.GetProperty("previousClose").GetDecimal());
        Assert.Equal(walk.Price, quote.GetProperty("price").GetDecimal());
        Assert.Equal(Math.Round((walk.Price - walk.PreviousClose) / walk.PreviousClose * 100m, 4), quote.GetProperty("changePercent").GetDecimal());
    }

    [Fact]
    public async Task Unknown_and_invalid_symbols_get_404_and_400()
    {
        await ErrorAsync("/api/market/quote/ZZZZ", HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await ErrorAsync("/api/market/quote/1BAD", HttpStatusCode.BadRequest, ErrorCodes.InvalidSymbol);
        await ErrorAsync("/api/market/quote/TOOLONGSYMBOL", HttpStatusCode.BadRequest, ErrorCodes.InvalidSymbol);
        // Found from outside: a path no endpoint serves answered an empty 404, not the protocol's failure body.
        await ErrorAsync("/api/market/nope", HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await ErrorAsync("/api/market/quote/", HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Theory]
    [InlineData("/api/nope")]
    [InlineData("/api/nope/deeper")]
    [InlineData("/api/v2/market/quote/AAPL")]
    public async Task Every_unknown_path_under_api_gets_the_same_404_body_as_one_under_api_market(string path)
    {
        // Found from outside: /api/market/<unknown> answered the protocol's 404 body, any other /api path an empty 404.
        await ErrorAsync(path, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        var (_, market, _) = await GetAsync("/api/market/nope");
        var (_, other, _) = await GetAsync(path);
        Assert.Equal(market.GetRawText(), other.GetRawText());
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task An_unknown_api_path_is_404_whatever_the_method_and_a_known_one_is_405_for_another_method(string method)
    {
        // Found from outside: HEAD or POST to /api/market/<unknown> answered 405, as if the path existed.
        using var http = Server.CreateHttpClient(QuotesServer.ClientKey);
        foreach (var path in new[] { "/api/market/nope", "/api/nope" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            using var unknown = await http.SendAsync(request);
            Assert.True(unknown.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {unknown.StatusCode}");
            if (method != "HEAD")
                Assert.Equal(ErrorCodes.NotFound, JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        }

        using var other = new HttpRequestMessage(new HttpMethod(method), "/api/market/status");
        using var known = await http.SendAsync(other);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, known.StatusCode);
        Assert.Contains("GET", known.Content.Headers.Allow);
    }

    [Fact]
    public async Task Several_quotes_at_once_leave_unknown_symbols_out()
    {
        var quotes = await DataAsync("/api/market/quotes?symbols=KO,pep,ZZZZ,KO");

        Assert.Equal(["KO", "PEP"], quotes.EnumerateArray().Select(q => q.GetProperty("symbol").GetString()));
        await ErrorAsync("/api/market/quotes", HttpStatusCode.BadRequest, ErrorCodes.InvalidParameter);
        await ErrorAsync("/api/market/quotes?symbols=" + string.Join(",", Enumerable.Range(0, 51).Select(i => $"S{i}")), HttpStatusCode.BadRequest, ErrorCodes.SymbolLimit);
        await ErrorAsync("/api/market/quotes?symbols=AAPL,b@d", HttpStatusCode.BadRequest, ErrorCodes.InvalidSymbol);
    }

    [Fact]
    public async Task Daily_history_is_ascending_and_ends_at_the_walks_previous_close()
    {
        var today = DateOnly.FromDateTime(MarketCalendar.ToNewYork(DateTimeOffset.UtcNow));
        var last = MarketCalendar.PreviousTradingDay(today);
        var data = await DataAsync($"/api/market/historical/IBM?from={last.AddDays(-30):yyyy-MM-dd}&to={last:yyyy-MM-dd}");

        var bars = data.GetProperty("bars").EnumerateArray().ToList();
        Assert.InRange(bars.Count, 15, 23);
        Assert.Equal(bars.Select(b => b.GetProperty("t").GetInt64()).Order(), bars.Select(b => b.GetProperty("t").GetInt64()));
        Assert.Equal(Market.Walk("IBM").PreviousClose, bars[^1].GetProperty("c").GetDecimal());
        foreach (var field in new[] { "t", "o", "h", "l", "c", "v", "vw", "n" }) Assert.True(bars[0].TryGetProperty(field, out _), field);
        Assert.All(bars, b => Assert.True(b.GetProperty("l").GetDecimal() <= b.GetProperty("h").GetDecimal()));
    }

    [Fact]
    public async Task Intraday_history_follows_every_provider_page()
    {
        var today = DateOnly.FromDateTime(MarketCalendar.ToNewYork(DateTimeOffset.UtcNow));
        var day2 = MarketCalendar.PreviousTradingDay(MarketCalendar.PreviousTradingDay(today));
        var day1 = MarketCalendar.PreviousTradingDay(day2);
        var expected = new[] { day1, day2 }.Sum(d => (int)(MarketCalendar.CloseOf(d) - new TimeSpan(9, 30, 0)).TotalMinutes);

        var data = await DataAsync($"/api/market/historical/ORCL?from={day1:yyyy-MM-dd}&to={day2:yyyy-MM-dd}&timespan=minute&multiplier=1");

        var times = data.GetProperty("bars").EnumerateArray().Select(b => b.GetProperty("t").GetInt64()).ToList();
        Assert.Equal(expected, times.Count);
        Assert.Equal(times.Order().Distinct(), times);
        var path = $"/v2/aggs/ticker/ORCL/range/1/minute/{day1:yyyy-MM-dd}/{day2:yyyy-MM-dd}";
        // 50 bars a page (Polygon:PageSize): the first request and every next_url hit the same path.
        Assert.Equal((expected + 49) / 50, Market.RestCalls(path));
    }

    [Theory]
    [InlineData("from=2026-01-01", HttpStatusCode.BadRequest, ErrorCodes.InvalidDate)]
    [InlineData("from=2026-13-01&to=2026-12-01", HttpStatusCode.BadRequest, ErrorCodes.InvalidDate)]
    [InlineData("from=yesterday&to=2026-12-01", HttpStatusCode.BadRequest, ErrorCodes.InvalidDate)]
    [InlineData("from=2026-02-01&to=2026-01-01", HttpStatusCode.BadRequest, ErrorCodes.InvalidRange)]
    [InlineData("from=2026-01-01&to=2026-03-01&timespan=minute", HttpStatusCode.BadRequest, ErrorCodes.InvalidRange)]
    [InlineData("from=2026-01-01&to=2026-01-02&timespan=decade", HttpStatusCode.BadRequest, ErrorCodes.InvalidParameter)]
    [InlineData("from=2026-01-01&to=2026-01-02&multiplier=0", HttpStatusCode.BadRequest, ErrorCodes.InvalidParameter)]
    [InlineData("from=2026-01-01&to=2026-01-02&multiplier=1001", HttpStatusCode.BadRequest, ErrorCodes.InvalidParameter)]
    [InlineData("from=2026-01-01&to=2026-01-02&multiplier=x", HttpStatusCode.BadRequest, ErrorCodes.InvalidParameter)]
    public async Task Bad_history_parameters_are_400_with_a_code(string query, HttpStatusCode status, string code)
    {
        var before = Market.Report().RestCalls.Keys.Count(k => k.StartsWith("/v2/aggs/ticker/GE/range", StringComparison.Ordinal));
        await ErrorAsync("/api/market/historical/GE?" + query, status, code);
        Assert.Equal(before, Market.Report().RestCalls.Keys.Count(k => k.StartsWith("/v2/aggs/ticker/GE/range", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_date_before_1970_is_refused_naming_the_bound()
    {
        // Found from outside: 1969-12-31 was refused as "must be a date as YYYY-MM-DD", which it is.
        await ErrorAsync("/api/market/historical/GE?from=1969-12-31&to=1970-01-02", HttpStatusCode.BadRequest, ErrorCodes.InvalidDate);
        var (_, body, _) = await GetAsync("/api/market/historical/GE?from=1969-12-31&to=1970-01-02");
        Assert.Contains("1970-01-01", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Weekly_and_monthly_history_aggregate_the_days()
    {
        var to = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-7);
        var weeks = await DataAsync($"/api/market/historical/KO?from={to.AddDays(-90):yyyy-MM-dd}&to={to:yyyy-MM-dd}&timespan=week");
        var months = await DataAsync($"/api/market/historical/KO?from={to.AddDays(-365):yyyy-MM-dd}&to={to:yyyy-MM-dd}&timespan=month");
        Assert.InRange(weeks.GetProperty("bars").GetArrayLength(), 12, 15);
        Assert.InRange(months.GetProperty("bars").GetArrayLength(), 12, 13);
    }

    [Fact]
    public async Task Search_finds_by_ticker_and_by_name()
    {
        var byName = await DataAsync("/api/market/search?q=apple&limit=5");
        var byTicker = await DataAsync("/api/market/search?q=NVD");

        var apple = byName.EnumerateArray().Single(m => m.GetProperty("symbol").GetString() == "AAPL");
        Assert.Equal("Apple Inc.", apple.GetProperty("name").GetString());
        Assert.Equal("XNAS", apple.GetProperty("exchange").GetString());
        Assert.True(apple.GetProperty("active").GetBoolean());
        Assert.Contains(byTicker.EnumerateArray(), m => m.GetProperty("symbol").GetString() == "NVDA");
        Assert.True((await DataAsync("/api/market/search?q=a&limit=3")).GetArrayLength() <= 3);
    }

    [Theory]
    [InlineData("/api/market/search")]
    [InlineData("/api/market/search?q=")]
    [InlineData("/api/market/search?q=app&limit=0")]
    [InlineData("/api/market/search?q=app&limit=101")]
    [InlineData("/api/market/options/AAPL?type=straddle")]
    public async Task Bad_search_and_options_parameters_are_400(string path) =>
        await ErrorAsync(path, HttpStatusCode.BadRequest, ErrorCodes.InvalidParameter);

    [Theory]
    [InlineData("strikeMin=-5", "strikeMin")]
    [InlineData("strikeMin=cheap", "strikeMin")]
    [InlineData("strikeMax=1e3", "strikeMax")]
    [InlineData("strikeMax=12345678901234", "strikeMax")]
    [InlineData("strikeMin=300&strikeMax=200", "strikeMin")]
    public async Task Bad_strike_bounds_are_400_naming_the_parameter(string query, string parameter)
    {
        var calls = Market.RestCalls("/v3/snapshot/options/AAPL");
        var (status, body, _) = await GetAsync($"/api/market/options/AAPL?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(ErrorCodes.InvalidParameter, body.GetProperty("code").GetString());
        Assert.Contains(parameter, body.GetProperty("error").GetString());
        Assert.Equal(calls, Market.RestCalls("/v3/snapshot/options/AAPL"));
    }

    [Fact]
    public async Task Market_status_follows_the_calendar()
    {
        var before = MarketCalendar.StateAt(DateTimeOffset.UtcNow);
        var status = await DataAsync("/api/market/status");
        var after = MarketCalendar.StateAt(DateTimeOffset.UtcNow);

        Assert.Contains(status.GetProperty("market").GetString(), new[] { before, after });
        Assert.Contains(status.GetProperty("exchanges").GetProperty("nyse").GetString(), new[] { before, after });
        Assert.True(DateTimeOffset.TryParse(status.GetProperty("serverTime").GetString(), out _));
    }

    [Fact]
    public async Task Options_come_by_expiry_strike_and_type_with_their_market_and_filter_by_type_and_expiry()
    {
        var all = (await DataAsync("/api/market/options/TSLA")).EnumerateArray().ToList();
        var expiry = all[0].GetProperty("expiry").GetString()!;
        var puts = (await DataAsync($"/api/market/options/TSLA?type=put&expiry={expiry}")).EnumerateArray().ToList();

        Assert.True(all.Count > 250, $"{all.Count} contracts: more than one provider page");
        Assert.All(all, c => Assert.Equal("TSLA", c.GetProperty("underlying").GetString()));
        var order = all.Select(c => (c.GetProperty("expiry").GetString(), c.GetProperty("strike").GetDecimal(), c.GetProperty("type").GetString())).ToList();
        Assert.Equal(order.OrderBy(c => c.Item1, StringComparer.Ordinal).ThenBy(c => c.Item2).ThenBy(c => c.Item3, StringComparer.Ordinal), order);
        Assert.NotEmpty(puts);
        Assert.All(puts, c => Assert.Equal(("put", expiry), (c.GetProperty("type").GetString(), c.GetProperty("expiry").GetString())));
        Assert.StartsWith("O:TSLA", puts[0].GetProperty("ticker").GetString());
        foreach (var c in all)
        {
            foreach (var field in new[] { "bid", "ask", "last", "iv", "delta", "gamma", "theta", "vega", "openInterest", "volume", "breakEven", "underlyingPrice" })
                Assert.True(c.GetProperty(field).ValueKind == JsonValueKind.Number, $"{c.GetProperty("ticker")}: {field}");
            var delta = c.GetProperty("delta").GetDouble();
            if (c.GetProperty("type").GetString() == "call") Assert.InRange(delta, 0, 1);
            else Assert.InRange(delta, -1, 0);
            Assert.True(c.GetProperty("bid").GetDecimal() <= c.GetProperty("ask").GetDecimal());
        }
        await ErrorAsync("/api/market/options/TSLA?expiry=soon", HttpStatusCode.BadRequest, ErrorCodes.InvalidDate);
    }

    [Fact]
    public async Task Strike_bounds_narrow_the_chain_as_the_provider_filters_it()
    {
        var expiry = (await DataAsync("/api/market/options/NVDA/expirations"))[0].GetString()!;
        var calls = (await DataAsync($"/api/market/options/NVDA?expiry={expiry}&type=call")).EnumerateArray().Select(c => c.GetProperty("strike").GetDecimal()).ToList();
        var (low, high) = (calls[4], calls[9]);

        var band = (await DataAsync($"/api/market/options/NVDA?expiry={expiry}&strikeMin={low}&strikeMax={high}")).EnumerateArray().ToList();

        Assert.True(Market.RestCalls("/v3/snapshot/options/NVDA") > 0, "read from the provider's chain snapshot");
        Assert.Equal(12, band.Count); // six strikes, a call and a put each
        Assert.All(band, c => Assert.InRange(c.GetProperty("strike").GetDecimal(), low, high));
        Assert.Contains(Market.RestQueries, q => q.Contains("strike_price.gte=", StringComparison.Ordinal) && q.Contains("strike_price.lte=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Expirations_list_every_expiry_of_the_chain_even_those_past_the_first_pages()
    {
        var expirations = (await DataAsync("/api/market/options/AMZN/expirations")).EnumerateArray().Select(e => e.GetString()!).ToList();
        var expected = OptionChain.Expiries(DateTimeOffset.UtcNow)
            .Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var late = (await DataAsync($"/api/market/options/AMZN?expiry={expirations[^1]}")).EnumerateArray().ToList();

        Assert.Equal(expected, expirations);
        Assert.NotEmpty(late);
        Assert.All(late, c => Assert.Equal(expirations[^1], c.GetProperty("expiry").GetString()));
        await ErrorAsync("/api/market/options/a%20b/expirations", HttpStatusCode.BadRequest, ErrorCodes.InvalidSymbol);
    }

    [Theory]
    [InlineData("/api/market/quote/AAPL")]
    [InlineData("/api/market/quotes?symbols=AAPL")]
    [InlineData("/api/market/historical/AAPL?from=2026-01-01&to=2026-01-02")]
    [InlineData("/api/market/search?q=a")]
    [InlineData("/api/market/status")]
    [InlineData("/api/market/options/AAPL")]
    [InlineData("/api/market/options/AAPL/expirations")]
    [InlineData("/api/market/nope")]
    [InlineData("/api/nope")]
    public async Task Every_endpoint_needs_a_valid_key(string path)
    {
        var (missing, missingBody, _) = await GetAsync(path, key: null);
        var (wrong, wrongBody, _) = await GetAsync(path, key: "not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, missing);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        Assert.Equal(ErrorCodes.Unauthorized, missingBody.GetProperty("code").GetString());
        Assert.DoesNotContain("not-a-key", wrongBody.GetRawText());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_endpoint_and_its_errors()
    {
        using var http = Server.CreateHttpClient();
        using var doc = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var paths = doc.RootElement.GetProperty("paths");

        foreach (var path in new[] { "/api/market/quote/{symbol}", "/api/market/quotes", "/api/market/historical/{symbol}", "/api/market/search", "/api/market/status", "/api/market/options/{symbol}",
                     "/api/market/options/{symbol}/expirations" })
        {
            var responses = paths.GetProperty(path).GetProperty("get").GetProperty("responses");
            foreach (var status in new[] { "200", "400", "401", "429", "502", "503" }) Assert.True(responses.TryGetProperty(status, out _), $"{path} {status}");
        }
    }

    [Fact]
    public async Task The_OpenAPI_document_names_each_parameter_as_clients_send_it()
    {
        using var http = Server.CreateHttpClient();
        using var doc = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var paths = doc.RootElement.GetProperty("paths");
        string[] Names(string path) =>
            paths.GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).Order().ToArray();

        Assert.Equal(["from", "multiplier", "symbol", "timespan", "to"], Names("/api/market/historical/{symbol}"));
        Assert.Equal(["expiry", "strikeMax", "strikeMin", "symbol", "type"], Names("/api/market/options/{symbol}"));
        Assert.Equal(["limit", "q"], Names("/api/market/search"));
    }
}
