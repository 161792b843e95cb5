using Microsoft.AspNetCore.Mvc;
using MonEspaceSante.Documents;

namespace MonEspaceSante.Api.Documents;

/// <summary>The filters and paging of a document list, as the query string carries them.</summary>
public sealed record DocumentQuery
{
    [FromQuery(Name = "tab")]
    public DocumentTab? Tab { get; init; }

    [FromQuery(Name = "category")]
    public DocumentCategory? Category { get; init; }

    [FromQuery(Name = "typeCode")]
    public string? TypeCode { get; init; }

    [FromQuery(Name = "from")]
    public DateOnly? From { get; init; }

    [FromQuery(Name = "to")]
    public DateOnly? To { get; init; }

    [FromQuery(Name = "authorKind")]
    public AuthorKind? AuthorKind { get; init; }

    [FromQuery(Name = "status")]
    public DocumentStatus? Status { get; init; }

    [FromQuery(Name = "offset")]
    public int? Offset { get; init; }

    [FromQuery(Name = "limit")]
    public int? Limit { get; init; }

    public DocumentFilter ToFilter() => new(Tab, Category, TypeCode, From, To, AuthorKind, Status, Offset ?? 0, Limit ?? 50);
}
