using Quotes.Host.Composition;
using Serilog.Events;
using Serilog.Parsing;
using Xunit;

namespace Quotes.Host.Unit.Tests;

public sealed class SecretRedactorSpecs
{
    private static SecretRedactor Redactor()
    {
        var redactor = new SecretRedactor();
        redactor.Add("polygon-secret-123");
        redactor.Add("short"); // too short to mask as a bare value
        return redactor;
    }

    [Theory]
    [InlineData("?apiKey=abc123&symbols=AAPL", "?apiKey=***&symbols=AAPL")]
    [InlineData("GET /ws?APIKEY=abc", "GET /ws?APIKEY=***")]
    [InlineData("https://x/v2?api_key=abc#frag", "https://x/v2?api_key=***#frag")]
    [InlineData("token=abc access_token=def", "token=*** access_token=***")]
    [InlineData("auth with polygon-secret-123 failed", "auth with *** failed")]
    [InlineData("ShardKey=AAPL short", "ShardKey=AAPL short")]
    [InlineData("nothing to see", "nothing to see")]
    public void Masks_known_secrets_and_key_parameters(string text, string expected) =>
        Assert.Equal(expected, Redactor().Redact(text));

    [Fact]
    public void Masks_strings_inside_structures_sequences_and_dictionaries()
    {
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Debug, null, new MessageTemplateParser().Parse("{Query} {Headers} {Request}"),
        [
            new LogEventProperty("Query", new ScalarValue("?apiKey=abc")),
            new LogEventProperty("Headers", new SequenceValue([new ScalarValue("Bearer polygon-secret-123")])),
            new LogEventProperty("Request", new StructureValue([new LogEventProperty("Uri", new ScalarValue(new Uri("http://h/p?apiKey=abc")))])),
            new LogEventProperty("Map", new DictionaryValue([new(new ScalarValue("k"), new ScalarValue("polygon-secret-123"))])),
            new LogEventProperty("Count", new ScalarValue(3)),
        ]);

        Redactor().Enrich(logEvent, null!);

        var rendered = string.Join(" ", logEvent.Properties.Select(p => p.Value.ToString()));
        Assert.DoesNotContain("abc", rendered);
        Assert.DoesNotContain("polygon-secret-123", rendered);
        Assert.Contains("***", logEvent.Properties["Map"].ToString());
        Assert.Equal("3", logEvent.Properties["Count"].ToString());
    }
}
