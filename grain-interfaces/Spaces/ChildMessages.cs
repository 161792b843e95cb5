using MonEspaceSante.Identity;
using Orleans;

namespace MonEspaceSante.Spaces;

/// <summary>
/// A guardian's claim on a minor's space: the child's NIR and Vitale card data, as on the card
/// the child is insured with, and the guardian's statement that they hold parental authority.
/// </summary>
[GenerateSerializer]
[Alias("mes.GuardianshipClaim")]
public sealed record GuardianshipClaim(
    [property: Id(0)] Nir Nir,
    [property: Id(1)] string VitaleSerial,
    [property: Id(2)] VitaleCardType CardType,
    [property: Id(3)] DateOnly BirthDate,
    [property: Id(4)] bool ParentalAuthority);

/// <summary>A child's space as one of its guardians sees it in their list; also what the child's space tells the guardian's when they attach.</summary>
[GenerateSerializer]
[Alias("mes.ChildSpace")]
public sealed record ChildSpace(
    [property: Id(0)] Guid SpaceId,
    [property: Id(1)] string FirstNames,
    [property: Id(2)] string BirthName,
    [property: Id(3)] DateOnly BirthDate,
    [property: Id(4)] DateOnly MajorityOn,
    [property: Id(5)] bool OfAge,
    [property: Id(6)] DateTimeOffset AttachedAt);

/// <summary>One entry of a space's notification feed, as a guardian reads the child's.</summary>
[GenerateSerializer]
[Alias("mes.FeedItem")]
public sealed record FeedItem(
    [property: Id(0)] Guid Id,
    [property: Id(1)] long Sequence,
    [property: Id(2)] string Kind,
    [property: Id(3)] string PayloadJson,
    [property: Id(4)] DateTimeOffset At);

/// <summary>A page of a child's feed for a guardian; <see cref="LastSequence"/> is where to resume, past entries left out.</summary>
[GenerateSerializer]
[Alias("mes.GuardianFeedPage")]
public sealed record GuardianFeedPage([property: Id(0)] IReadOnlyList<FeedItem> Items, [property: Id(1)] long? LastSequence);
