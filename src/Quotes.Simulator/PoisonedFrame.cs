using System.Text;

namespace Quotes.Simulator;

/// <summary>
/// A frame no well-behaved provider sends, for <see cref="SimulatorFaults.PoisonAfterAuth"/>: each must cost the receiver
/// that frame (or that event) only, never its feed.
/// </summary>
/// <param name="Kind">What is wrong with it, for test names and logs.</param>
/// <param name="Bytes">The frame's payload.</param>
/// <param name="Binary">Sent as a binary message (Polygon only ever sends text).</param>
public sealed record PoisonedFrame(string Kind, byte[] Bytes, bool Binary = false)
{
    public override string ToString() => Kind;

    private static PoisonedFrame Text(string kind, string json) => new(kind, Encoding.UTF8.GetBytes(json));

    /// <summary>An aggregate whose symbol is a lone surrogate: valid JSON that no UTF-16 string can hold.</summary>
    public static readonly PoisonedFrame LoneSurrogate = Text("lone-surrogate", """[{"ev":"A","sym":"\ud800","o":1,"h":1,"l":1,"c":1,"v":1,"s":1,"e":2}]""");

    /// <summary>Numbers past decimal and long: a price of 1e400, a volume of 1e30, a time of 2^64.</summary>
    public static readonly PoisonedFrame NumberOutOfRange = Text("number-out-of-range",
        """[{"ev":"A","sym":"BIG","o":1e400,"h":1,"l":1,"c":1e400,"v":1e30,"s":18446744073709551616,"e":18446744073709551616}]""");

    /// <summary>Fields of the wrong type: a numeric symbol, a string price, an object volume, an array time.</summary>
    public static readonly PoisonedFrame WrongTypes = Text("wrong-types", """[{"ev":"A","sym":42,"c":"high","v":{"a":1},"e":[1]},{"ev":7,"status":false}]""");

    /// <summary><c>NaN</c> and <c>Infinity</c> as bare tokens (not JSON) and as strings.</summary>
    public static readonly PoisonedFrame NaN = Text("nan", """[{"ev":"A","sym":"NAN","c":NaN,"e":Infinity}]""");

    public static readonly PoisonedFrame NaNString = Text("nan-string", """[{"ev":"A","sym":"NAN","c":"NaN","o":"Infinity","e":1}]""");

    /// <summary>Events without the fields that make them: no symbol, no close, no end, no status.</summary>
    public static readonly PoisonedFrame MissingFields = Text("missing-fields", """[{"ev":"A","c":1,"e":1},{"ev":"A","sym":"MISS"},{"ev":"status"},{}]""");

    /// <summary>An event type nobody asked for, and a frame that is a bare number.</summary>
    public static readonly PoisonedFrame UnknownEvent = Text("unknown-ev", """[{"ev":"ZZ","sym":"AAPL","c":1,"e":1},{"ev":"status","status":"something_new","message":"?"}]""");

    /// <summary>One megabyte in one frame: an array of a single huge string.</summary>
    public static readonly PoisonedFrame Huge = Text("1mb", "[\"" + new string('x', 1024 * 1024) + "\"]");

    /// <summary>A binary message carrying a valid-looking aggregate.</summary>
    public static readonly PoisonedFrame BinaryFrame = new("binary", Encoding.UTF8.GetBytes("""[{"ev":"A","sym":"BIN","c":1,"e":1}]"""), Binary: true);

    public static readonly PoisonedFrame NotJson = Text("not-json", "this is not json {[");

    /// <summary>Truncated in the middle of an event.</summary>
    public static readonly PoisonedFrame Truncated = Text("truncated", """[{"ev":"A","sym":"AAPL","c":""");

    /// <summary>Every kind above.</summary>
    public static readonly IReadOnlyList<PoisonedFrame> All =
        [LoneSurrogate, NumberOutOfRange, WrongTypes, NaN, NaNString, MissingFields, UnknownEvent, Huge, BinaryFrame, NotJson, Truncated];
}
