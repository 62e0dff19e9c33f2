using System.Runtime.Serialization;
using Quotes.Actors.Cluster.Wire;

namespace Quotes.Actors.Cluster;

/// <summary>
/// <see cref="decimal"/> to and from <see cref="DecimalValue"/>: the 96-bit coefficient, the scale and the sign, exactly as
/// <see cref="decimal"/> holds them, so every value (scale included: 1.50 stays 1.50) round-trips. A units-and-nanos pair
/// would lose a VWAP's or a percentage's digits beyond the ninth.
/// </summary>
internal static class WireDecimal
{
    /// <summary>Writes <paramref name="value"/> into <paramref name="target"/> (new, or reused on the hot path) and returns it.</summary>
    public static DecimalValue Write(decimal value, DecimalValue target)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        target.Lo = (uint)bits[0] | ((ulong)(uint)bits[1] << 32);
        target.Hi = (uint)bits[2];
        target.Scale = value.Scale;
        target.Negative = bits[3] < 0;
        return target;
    }

    public static DecimalValue? ToWire(decimal? value) => value is { } v ? Write(v, new DecimalValue()) : null;

    /// <summary>An absent value is null: a present one, even all defaults, is a number (zero).</summary>
    public static decimal? FromWire(DecimalValue? value) => value is null ? null : Read(value);

    /// <summary>For non-nullable decimals, always written: absent can only come from a writer that had nothing to say, so zero.</summary>
    public static decimal FromWireOrZero(DecimalValue? value) => value is null ? 0m : Read(value);

    private static decimal Read(DecimalValue value)
    {
        if (value.Scale > 28) throw new SerializationException($"decimal scale {value.Scale} is out of range (0..28)");
        return new decimal((int)(uint)value.Lo, (int)(uint)(value.Lo >> 32), (int)value.Hi, value.Negative, (byte)value.Scale);
    }
}
