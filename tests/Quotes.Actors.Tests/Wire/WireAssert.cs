using System.Collections;
using System.Globalization;
using System.Reflection;
using Akka.Actor;
using Xunit;

namespace Quotes.Actors.Tests.Wire;

/// <summary>
/// Compares messages by everything a reader could observe: records compare the lists and byte arrays they hold by
/// reference and decimals by value (1.50 == 1.5), so each message is described field by field, with decimals in full
/// (scale included), null apart from empty, actor references by path and uid, and the descriptions compared.
/// </summary>
public static class WireAssert
{
    public static void SameContent(object expected, object actual)
    {
        Assert.IsType(expected.GetType(), actual);
        Assert.Equal(Describe(expected), Describe(actual));
    }

    public static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        decimal d => d.ToString(CultureInfo.InvariantCulture) + "m",
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        IActorRef actor => $"ref({actor.Path.ToSerializationFormat()})",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Describe)) + "]",
        _ => value.GetType().Name + " { " + string.Join(", ", value.GetType()
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .Select(p => $"{p.Name} = {Describe(p.GetValue(value))}")) + " }",
    };
}
