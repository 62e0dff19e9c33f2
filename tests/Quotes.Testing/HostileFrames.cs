using System.Net.WebSockets;
using System.Text;
using System.Text.Unicode;

namespace Quotes.Testing;

/// <summary>
/// A seeded generator of hostile client frames: truncated and mutated commands, deep nesting, huge arrays, wrong types,
/// unknown fields, control characters and odd Unicode in symbols, garbage, binary, oversize and (rarely) invalid UTF-8.
/// Same seed, same frames.
/// </summary>
public sealed class HostileFrames(int seed)
{
    public sealed record Frame(byte[] Bytes, WebSocketMessageType Type, int Fragments)
    {
        /// <summary>Text that is not UTF-8: RFC 6455 says the connection fails (1007).</summary>
        public bool InvalidUtf8 => Type == WebSocketMessageType.Text && !Utf8.IsValid(Bytes);
    }

    private static readonly string[] Valid =
    [
        """{"type":"subscribe","symbols":["AAPL","TSLA"],"id":"a1"}""",
        """{"type":"unsubscribe","symbols":["AAPL"],"id":7}""",
        """{"type":"ping","id":"p"}""",
        """{"type":"subscribe","symbols":["BRK.B","BF-B"]}""",
    ];

    private static readonly string[] Values =
    [
        "null", "true", "false", "0", "-0", "1e400", "-1e-400", "123456789012345678901234567890", "\"\"", "\"subscribe\"",
        "[]", "{}", "[null]", "[1,2,3]", "{\"a\":{}}", "\"\\u0000\"", "\"\\ud800\"", "NaN", "Infinity", "\"AAPL\"",
    ];

    private readonly Random _random = new(seed);

    public Frame Next()
    {
        var kind = _random.Next(100);
        var bytes = kind switch
        {
            < 12 => Truncated(),
            < 24 => Mutated(),
            < 32 => Text(DeepNesting()),
            < 40 => Text(HugeArray()),
            < 52 => Text(WrongTypes()),
            < 58 => Text(UnknownFields()),
            < 68 => Text(OddSymbols()),
            < 76 => Text(Garbage()),
            < 80 => Text(Values[_random.Next(Values.Length)]),
            < 84 => Text(Blank()),
            < 88 => Oversize(),
            < 91 => Text("\uFEFF" + Valid[_random.Next(Valid.Length)]),
            < 99 => null,
            _ => InvalidUtf8(),
        };
        if (bytes is null) return new Frame(RandomBytes(_random.Next(0, 2048)), WebSocketMessageType.Binary, 1);
        return new Frame(bytes, WebSocketMessageType.Text, _random.Next(10) == 0 ? _random.Next(2, 6) : 1);
    }

    private static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    private byte[] Truncated()
    {
        var valid = Text(Valid[_random.Next(Valid.Length)]);
        return valid[.._random.Next(valid.Length)];
    }

    private byte[] Mutated()
    {
        var bytes = Text(Valid[_random.Next(Valid.Length)]);
        for (var i = _random.Next(1, 4); i > 0; i--)
        {
            // Printable ASCII or a JSON-significant character, so the frame stays UTF-8 and reaches the parser.
            const string alphabet = "{}[]\":,\\ \t\r\n0123456789abcdefABCDEF.-+eE";
            bytes[_random.Next(bytes.Length)] = (byte)alphabet[_random.Next(alphabet.Length)];
        }
        return bytes;
    }

    private string DeepNesting()
    {
        var depth = _random.Next(1, 6000);
        var open = _random.Next(2) == 0 ? "[" : "{\"a\":";
        var close = open == "[" ? "]" : "}";
        var inner = string.Concat(Enumerable.Repeat(open, depth)) + "1" + (_random.Next(3) == 0 ? "" : string.Concat(Enumerable.Repeat(close, depth)));
        return _random.Next(2) == 0 ? inner : "{\"type\":\"subscribe\",\"symbols\":" + inner + "}";
    }

    private string HugeArray()
    {
        var count = _random.Next(0, 3000);
        var items = Enumerable.Range(0, count).Select(i => _random.Next(4) switch
        {
            0 => $"\"S{i}\"",
            1 => i.ToString(),
            2 => "null",
            _ => "\"AAPL\"",
        });
        return "{\"type\":\"subscribe\",\"symbols\":[" + string.Join(",", items) + "]}";
    }

    private string WrongTypes()
    {
        string V() => Values[_random.Next(Values.Length)];
        return _random.Next(4) switch
        {
            0 => $"{{\"type\":{V()},\"symbols\":[\"AAPL\"]}}",
            1 => $"{{\"type\":\"subscribe\",\"symbols\":{V()}}}",
            2 => $"{{\"type\":\"ping\",\"id\":{V()}}}",
            _ => $"{{\"type\":\"unsubscribe\",\"symbols\":[{V()},{V()}],\"id\":{V()}}}",
        };
    }

    private string UnknownFields() =>
        "{\"x" + _random.Next() + "\":" + Values[_random.Next(Values.Length)] + ",\"type\":\"ping\",\"extra\":{\"nested\":[1,{\"b\":null}]}}";

    private string OddSymbols()
    {
        string[] pieces = ["\\u0000", "\\u0007", "\\n", "\\t", "é", "😀", "\\u202e", " ", "$", "AAPL", "a", "..", "-", "TOOLONGSYMBOLNAME", "\\\"", "\\\\", "\u00a0", "ＡＡＰＬ"];
        var symbols = Enumerable.Range(0, _random.Next(1, 6))
            .Select(_ => "\"" + string.Concat(Enumerable.Range(0, _random.Next(1, 5)).Select(_ => pieces[_random.Next(pieces.Length)])) + "\"");
        return "{\"type\":\"subscribe\",\"symbols\":[" + string.Join(",", symbols) + "]}";
    }

    private string Garbage()
    {
        var chars = new char[_random.Next(1, 400)];
        for (var i = 0; i < chars.Length; i++) chars[i] = (char)_random.Next(0x20, 0x7f);
        return new string(chars);
    }

    private string Blank() => _random.Next(3) switch { 0 => "", 1 => "   \r\n\t ", _ => "\u0000" };

    private byte[] Oversize()
    {
        var size = 16 * 1024 + _random.Next(1, 48 * 1024);
        var filler = new string('A', size);
        return Text("{\"type\":\"ping\",\"id\":\"" + filler + "\"}");
    }

    private byte[] InvalidUtf8()
    {
        var bytes = Text(Valid[_random.Next(Valid.Length)]);
        bytes[_random.Next(bytes.Length)] = (byte)(0xC0 | _random.Next(2)); // an overlong lead byte: never valid
        return bytes;
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }
}
