using Google.Protobuf;
using Quotes.Actors.Messages;
using W = Quotes.Actors.Cluster.Wire;

namespace Quotes.Actors.Cluster;

/// <summary>
/// Writes <see cref="SymbolProtocol.QuoteUpdated"/>, sent once per quote update per interested remote hub, without building
/// a new wire object graph each time: each thread (serialization runs on remoting's threads, several at once) keeps one
/// wire message and its decimals and refills them. What is left per message is the right-sized output array, sized by
/// <see cref="IMessage.CalculateSize"/> and written in place, and a small wrapper for the raw event (its bytes are not copied).
/// </summary>
internal static class QuoteUpdatedWriter
{
    [ThreadStatic] private static Reusable? perThread;

    public static byte[] ToBinary(SymbolProtocol.QuoteUpdated message)
    {
        var reusable = perThread ??= new Reusable();
        var wire = WireMapping.Fill(reusable.Message, message, reusable.Decimals);
        try
        {
            var bytes = new byte[wire.CalculateSize()];
            wire.WriteTo(bytes.AsSpan());
            return bytes;
        }
        finally
        {
            // Keep no caller's event alive until this thread's next update.
            wire.ClearRawEvent();
        }
    }

    private sealed class Reusable
    {
        public readonly W.QuoteUpdated Message = new() { Quote = new W.Quote() };
        public readonly W.DecimalValue[] Decimals = NewDecimals();

        private static W.DecimalValue[] NewDecimals()
        {
            var decimals = new W.DecimalValue[WireMapping.QuoteDecimals];
            for (var i = 0; i < decimals.Length; i++) decimals[i] = new W.DecimalValue();
            return decimals;
        }
    }
}
