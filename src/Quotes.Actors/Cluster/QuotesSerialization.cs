using System.Collections.Immutable;
using Akka.Actor;
using Akka.Serialization;

namespace Quotes.Actors.Cluster;

/// <summary>
/// The one binding of <see cref="IQuotesMessage"/> to <see cref="QuotesSerializer"/>, in code rather than as HOCON type
/// strings: hosted nodes take it through <see cref="QuotesNodeExtensions.AddQuotesSerializer"/>, actor systems built
/// without Akka.Hosting (TestKit specs) through <see cref="Setup"/>. Either way cross-node messages never fall back to JSON.
/// </summary>
public static class QuotesSerialization
{
    /// <summary>The serializer's name in the actor system's serialization settings.</summary>
    public const string Alias = "quotes";

    /// <summary>Everything that may cross nodes.</summary>
    public static readonly IReadOnlyList<Type> BoundTypes = [typeof(IQuotesMessage)];

    public static Serializer Create(ExtendedActorSystem system) => new QuotesSerializer(system);

    /// <summary>The binding as an actor system setup, for <c>ActorSystem.Create</c> or a TestKit's <c>ActorSystemSetup</c>.</summary>
    public static SerializationSetup Setup() =>
        SerializationSetup.Create(system => [SerializerDetails.Create(Alias, Create(system), [.. BoundTypes])]);
}
