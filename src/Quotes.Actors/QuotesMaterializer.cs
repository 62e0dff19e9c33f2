using Akka.Actor;
using Akka.Streams;

namespace Quotes.Actors;

/// <summary>
/// The one stream materializer of an actor system (Akka.Hosting registers none, and <c>system.Materializer()</c> makes a new
/// one per call). The host registers the same instance as its <see cref="IMaterializer"/>; actors find it with <see cref="For"/>.
/// </summary>
public sealed class QuotesMaterializer : IExtension
{
    private QuotesMaterializer(IMaterializer materializer) => Materializer = materializer;

    public IMaterializer Materializer { get; }

    public static IMaterializer For(ActorSystem system) => system.WithExtension<QuotesMaterializer, Id>().Materializer;

    /// <summary>Creates the materializer on first use; it stops with the actor system.</summary>
    public sealed class Id : ExtensionIdProvider<QuotesMaterializer>
    {
        public override QuotesMaterializer CreateExtension(ExtendedActorSystem system) => new(system.Materializer(namePrefix: "quotes"));
    }
}
