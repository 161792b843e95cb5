using System.Data.Common;

namespace MonEspaceSante.Enrolment;

/// <summary>Writes new spaces and their directory entries in the caller's transaction, as fast as the provider allows.</summary>
public interface IEnrolmentBulkWriter
{
    Task WriteAsync(DbConnection connection, DbTransaction transaction, string importId, IReadOnlyList<NewSpaceRow> rows, CancellationToken cancellationToken);
}
