using Microsoft.AspNetCore.Mvc;
using MonEspaceSante.Access;

namespace MonEspaceSante.Api.Access;

/// <summary>The filters and paging of the access history, as the query string carries them.</summary>
public sealed record AccessHistoryQuery
{
    [FromQuery(Name = "from")]
    public DateTimeOffset? From { get; init; }

    [FromQuery(Name = "to")]
    public DateTimeOffset? To { get; init; }

    [FromQuery(Name = "rpps")]
    public string? Rpps { get; init; }

    [FromQuery(Name = "outcome")]
    public AccessOutcome? Outcome { get; init; }

    [FromQuery(Name = "emergency")]
    public bool? Emergency { get; init; }

    [FromQuery(Name = "action")]
    public AccessAction? Action { get; init; }

    [FromQuery(Name = "offset")]
    public int? Offset { get; init; }

    [FromQuery(Name = "limit")]
    public int? Limit { get; init; }

    public AccessHistoryFilter ToFilter() => new(From, To, Rpps, Outcome, Emergency, Action, Offset ?? 0, Limit ?? 50);
}
