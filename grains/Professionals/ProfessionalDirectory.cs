using Dapper;
using MonEspaceSante.Errors;
using MonEspaceSante.Storage;

namespace MonEspaceSante.Professionals;

/// <summary>
/// Searches the professionals directory (rules in docs/professionals.md). Every criterion is a
/// range on a normalised, indexed column, so a search reads the matching index entries and
/// no more; results are ordered by "LAST FIRST", then RPPS so that pages do not overlap.
/// </summary>
public sealed class ProfessionalDirectory(IDatabase database)
{
    // In the order of ProfessionalInfo's constructor, which Dapper calls with them.
    private const string Selected =
        "rpps as Rpps, last_name as LastName, first_name as FirstName, profession_code as ProfessionCode, profession as Profession, " +
        "specialty as Specialty, facility_finess as FacilityFiness, facility_name as FacilityName, city as City";

    public async Task<ProfessionalPage> SearchAsync(ProfessionalQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > ProfessionalQuery.MaxLimit)
        {
            throw new DomainException(DomainError.InvalidRequest, $"limit must be between 1 and {ProfessionalQuery.MaxLimit}.");
        }

        if (query.Offset < 0)
        {
            throw new DomainException(DomainError.InvalidRequest, "offset must not be negative.");
        }

        var conditions = new List<string>();
        var parameters = new DynamicParameters();
        if (Prefix(query.Name, "name") is { } name)
        {
            conditions.Add("((search_name >= @nameFrom and search_name < @nameTo) or (search_first_last >= @nameFrom and search_first_last < @nameTo))");
            parameters.Add("nameFrom", name);
            parameters.Add("nameTo", SearchText.PrefixEnd(name));
        }

        if (!string.IsNullOrWhiteSpace(query.Profession))
        {
            var profession = query.Profession.Trim();
            if (profession.All(char.IsAsciiDigit))
            {
                conditions.Add("profession_code = @professionCode");
                parameters.Add("professionCode", profession);
            }
            else if (Prefix(profession, "profession") is { } label)
            {
                conditions.Add("search_profession >= @professionFrom and search_profession < @professionTo");
                parameters.Add("professionFrom", label);
                parameters.Add("professionTo", SearchText.PrefixEnd(label));
            }
        }

        if (Prefix(query.City, "city") is { } city)
        {
            conditions.Add("search_city >= @cityFrom and search_city < @cityTo");
            parameters.Add("cityFrom", city);
            parameters.Add("cityTo", SearchText.PrefixEnd(city));
        }

        if (conditions.Count == 0)
        {
            // The directory is a million people: listing it whole is not a search.
            throw new DomainException(DomainError.InvalidRequest, "Give at least one of name, profession or city.");
        }

        var where = " where " + string.Join(" and ", conditions);
        parameters.Add("limit", query.Limit);
        parameters.Add("offset", query.Offset);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select count(*) from professionals" + where, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        IReadOnlyList<ProfessionalInfo> items = total <= query.Offset
            ? []
            : (await connection.QueryAsync<ProfessionalInfo>(new CommandDefinition(
                $"select {Selected} from professionals{where} order by search_name, rpps limit @limit offset @offset", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false))
                .AsList();
        return new ProfessionalPage(items, query.Offset, query.Limit, total);
    }

    /// <summary>The normalised prefix, null when the criterion is absent; refused when given but holding no letter or digit.</summary>
    private static string? Prefix(string? value, string criterion)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (value.Length > 100)
        {
            throw new DomainException(DomainError.InvalidRequest, $"{criterion} is longer than 100 characters.");
        }

        var normalized = SearchText.Normalize(value);
        return normalized.Length > 0
            ? normalized
            : throw new DomainException(DomainError.InvalidRequest, $"{criterion} has no letter or digit.");
    }
}
