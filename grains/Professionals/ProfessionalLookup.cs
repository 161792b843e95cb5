using System.Data.Common;
using Dapper;

namespace MonEspaceSante.Professionals;

/// <summary>
/// One indexed read of the professionals directory, inside the caller's transaction: access
/// decisions need the professional's profession (default rights) and identity (history).
/// </summary>
public static class ProfessionalLookup
{
    public static async Task<ProfessionalInfo?> FindAsync(DbConnection connection, DbTransaction? transaction, string rpps)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var row = await connection.QuerySingleOrDefaultAsync<ProfessionalRow>(
            "select rpps as Rpps, last_name as LastName, first_name as FirstName, profession_code as ProfessionCode, profession as Profession, " +
            "specialty as Specialty, facility_finess as FacilityFiness, facility_name as FacilityName, city as City from professionals where rpps = @rpps",
            new { rpps }, transaction).ConfigureAwait(false);
        return row?.ToInfo();
    }

    private sealed class ProfessionalRow
    {
        public string Rpps { get; set; } = "";
        public string LastName { get; set; } = "";
        public string FirstName { get; set; } = "";
        public string ProfessionCode { get; set; } = "";
        public string Profession { get; set; } = "";
        public string? Specialty { get; set; }
        public string? FacilityFiness { get; set; }
        public string? FacilityName { get; set; }
        public string? City { get; set; }

        public ProfessionalInfo ToInfo() => new(Rpps, LastName, FirstName, ProfessionCode, Profession, Specialty, FacilityFiness, FacilityName, City);
    }
}
