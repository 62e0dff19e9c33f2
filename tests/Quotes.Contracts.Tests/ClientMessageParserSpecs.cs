using System.Text;
using Quotes.Contracts;
using Xunit;

namespace Quotes.Contracts.Tests;

public class ClientMessageParserSpecs
{
    private static ClientCommand Parse(string json) => ClientMessageParser.Parse(Encoding.UTF8.GetBytes(json));

    private static ServerMessages.Error ErrorOf(string json) =>
        Assert.IsType<ClientCommand.Invalid>(Parse(json)).Error;

    [Fact]
    public void Subscribe_symbols_are_trimmed_upper_cased_and_deduplicated()
    {
        var command = Assert.IsType<ClientCommand.Subscribe>(Parse("""{"type":"subscribe","symbols":[" aapl ","AAPL","brk.b","tsla"]}"""));
        Assert.Equal(["AAPL", "BRK.B", "TSLA"], command.Symbols);
    }

    [Fact]
    public void Id_is_kept_as_string_or_number_for_the_echo()
    {
        Assert.Equal("abc", Parse("""{"type":"ping","id":"abc"}""").Id!.Value.GetString());
        Assert.Equal(7, Parse("""{"type":"ping","id":7}""").Id!.Value.GetInt32());
    }

    [Theory]
    [InlineData("{\"type\":\"subscribe\",\"symbols\":[\"AAPL\"")]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("\"subscribe\"")]
    [InlineData("{\"symbols\":[\"AAPL\"]}")]
    [InlineData("{\"type\":5}")]
    [InlineData("{\"type\":\"subscribe\",\"symbols\":\"AAPL\"}")]
    [InlineData("{\"type\":\"subscribe\",\"symbols\":[1,2]}")]
    [InlineData("{\"type\":\"subscribe\",\"symbols\":[]}")]
    [InlineData("{\"type\":\"ping\",\"id\":{\"a\":1}}")]
    [InlineData("{\"type\":\"subscribe\",\"symbols\":[[[[[[[[[[[[\"AAPL\"]]]]]]]]]]]]}")]
    public void Malformed_messages_are_BAD_JSON(string json) => Assert.Equal(ErrorCodes.BadJson, ErrorOf(json).Code);

    [Fact]
    public void A_BAD_JSON_error_says_whether_the_message_is_nested_too_deeply_or_not_JSON_at_all()
    {
        var deep = "{\"type\":\"ping\",\"x\":" + new string('[', 5_000) + new string(']', 5_000) + "}";
        Assert.Equal("the message is nested more than 8 levels deep", ErrorOf("""{"type":"ping","x":[[[[[[[[1]]]]]]]]}""").Message);
        Assert.Equal("the message is nested more than 8 levels deep", ErrorOf(deep).Message);
        Assert.Equal("the message is not valid JSON", ErrorOf("""{"type":"ping","x":[[[[[[[[1]]]]]]]]""").Message); // deep and cut short
        Assert.Equal("the message is not valid JSON", ErrorOf("not json").Message);
    }

    [Fact]
    public void Invalid_UTF8_is_BAD_JSON()
    {
        var bytes = new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}' };
        Assert.Equal(ErrorCodes.BadJson, Assert.IsType<ClientCommand.Invalid>(ClientMessageParser.Parse(bytes)).Error.Code);
    }

    [Fact]
    public void A_message_without_a_type_is_BAD_JSON_not_UNKNOWN_TYPE_and_keeps_the_id()
    {
        // PROTOCOL.md: UNKNOWN_TYPE is a type string the server does not know; a missing type is a malformed message.
        var error = ErrorOf("""{"id":9}""");
        Assert.Equal(ErrorCodes.BadJson, error.Code);
        Assert.Equal(9, error.Id!.Value.GetInt32());
    }

    [Fact]
    public void Unknown_type_is_UNKNOWN_TYPE_and_keeps_the_id()
    {
        var error = ErrorOf("""{"type":"launch","id":"x1"}""");
        Assert.Equal(ErrorCodes.UnknownType, error.Code);
        Assert.Equal("x1", error.Id!.Value.GetString());
    }

    [Fact]
    public void A_subscribe_with_any_invalid_symbol_is_rejected_naming_the_bad_ones()
    {
        var error = ErrorOf("""{"type":"subscribe","symbols":["AAPL","1BAD","TOOLONGSYMBOL1","A\u0001B"]}""");
        Assert.Equal(ErrorCodes.InvalidSymbol, error.Code);
        Assert.Equal(["1BAD", "TOOLONGSYMBOL1", "A\\u0001B"], error.Symbols);
    }

    [Fact]
    public void Oversize_messages_are_MESSAGE_TOO_LARGE()
    {
        var json = "{\"type\":\"ping\",\"pad\":\"" + new string('x', ProtocolLimits.ContractFrameBytes) + "\"}";
        Assert.Equal(ErrorCodes.MessageTooLarge, ErrorOf(json).Code);
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        Assert.IsType<ClientCommand.Ping>(Parse("""{"type":"ping","extra":{"deep":[1,2]}}"""));
    }
}
