using Quotes.Contracts;
using Xunit;

namespace Quotes.Contracts.Tests;

public class SymbolRulesSpecs
{
    [Theory]
    [InlineData("AAPL", "AAPL")]
    [InlineData(" brk.b ", "BRK.B")]
    [InlineData("bf-b", "BF-B")]
    [InlineData("A", "A")]
    [InlineData("ABCDEFGHIJ", "ABCDEFGHIJ")]
    public void Valid_symbols_normalise(string raw, string expected)
    {
        Assert.True(SymbolRules.TryNormalize(raw, out var symbol));
        Assert.Equal(expected, symbol);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("1ABC")]
    [InlineData("ABCDEFGHIJK")]
    [InlineData("AA PL")]
    [InlineData("A\u0000PL")]
    [InlineData(".AAPL")]
    [InlineData("ÄAPL")]
    [InlineData(null)]
    public void Invalid_symbols_are_refused(string? raw) => Assert.False(SymbolRules.TryNormalize(raw, out _));
}
