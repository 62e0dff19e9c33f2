using Google.Protobuf;

namespace Quotes.Actors.Cluster;

/// <summary>How one cross-node message type travels: its Akka manifest, and its encoder and decoder.</summary>
internal sealed record WireFormat(Type Type, string Manifest, Func<object, byte[]> Write, Func<byte[], object> Read)
{
    /// <summary>A record that maps to a generated wire message and back.</summary>
    public static WireFormat Of<TRecord, TWire>(string manifest, MessageParser<TWire> parser, Func<TRecord, TWire> toWire, Func<TWire, TRecord> fromWire)
        where TRecord : notnull
        where TWire : IMessage<TWire> =>
        new(typeof(TRecord), manifest, message => Encode(toWire((TRecord)message)), bytes => fromWire(parser.ParseFrom(bytes)));

    /// <summary>
    /// A message without content (a singleton): written as the empty wire message, read as <paramref name="instance"/>.
    /// Its bytes are still parsed, so a later version may give it fields that this one skips.
    /// </summary>
    public static WireFormat Singleton<TRecord, TWire>(string manifest, MessageParser<TWire> parser, TRecord instance)
        where TRecord : notnull
        where TWire : IMessage<TWire> =>
        new(typeof(TRecord), manifest, _ => [], bytes => { parser.ParseFrom(bytes); return instance; });

    /// <summary>Into an array of exactly the message's size, written in place.</summary>
    public static byte[] Encode(IMessage message)
    {
        var bytes = new byte[message.CalculateSize()];
        message.WriteTo(bytes.AsSpan());
        return bytes;
    }
}
