using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;

namespace MonEspaceSante.Bench.SameWork;

/// <summary>
/// The same-work server's own tables, in the benchmark's database beside the platform's: the
/// columns the rows need and the indexes the platform keeps on its tables of the same role
/// (by space and date for documents, by folder and by id for messages, by time for the history,
/// in commit order and by age for the feed), so each insert maintains as many index entries.
/// </summary>
internal static class SameWorkSchema
{
    private const string Tables = """
        create table same_spaces (
            space_id text primary key, nir_hash text not null unique, birth_date text not null, wrapped_key text not null);
        create table same_documents (
            space_id text not null, document_id text not null, type_code text not null, title text not null, clinical_date text not null,
            author_kind text not null, author_id text, author_name text, source_software text, file_name text, size bigint not null,
            sha256 text not null, content_key text not null, uploaded_by text not null, added_at_ms bigint not null,
            primary key (space_id, document_id));
        create index same_documents_by_clinical_date on same_documents (space_id, clinical_date desc, added_at_ms desc);
        create table same_access_history_heads (space_id text primary key, seq bigint not null, hash text not null);
        create table same_access_history (
            space_id text not null, seq bigint not null, entry_id text not null, at_ms bigint not null, rpps text not null, via text not null,
            action text not null, target text not null, outcome text not null, prev_hash text not null, hash text not null,
            primary key (space_id, seq));
        create index same_access_history_by_time on same_access_history (space_id, at_ms);
        create index same_access_history_readers on same_access_history (space_id, at_ms)
            where outcome = 'Allowed' and action in ('FindPatient', 'EmergencyAccess', 'ReadProfile', 'ListDocuments', 'ReadDocument', 'DownloadDocument');
        create table same_mailboxes (mailbox_id text primary key, address text not null unique, display_name text not null);
        create table same_messages (
            mailbox_id text not null, message_id text not null, conversation_id text not null, folder text not null, archived integer not null,
            sender text not null, sender_name text not null, to_addresses text not null, subject text not null, body text not null,
            attachments text, search_text text not null, sent_at_ms bigint not null, read_at_ms bigint,
            primary key (mailbox_id, message_id));
        create index same_messages_by_folder on same_messages (mailbox_id, folder, archived, sent_at_ms);
        create index same_messages_by_id on same_messages (message_id);
        create table same_message_rate (sender text not null, hour bigint not null, sent bigint not null, primary key (sender, hour));
        create table same_feed_heads (recipient_id text primary key, last_seq bigint not null);
        create table same_notifications (
            recipient_id text not null, seq bigint not null, id uuid not null, kind text not null, payload jsonb not null, created_at_ms bigint not null,
            global_id bigint generated always as identity, tx bigint not null default (pg_current_xact_id()::text::bigint),
            primary key (recipient_id, seq));
        create index same_notifications_in_commit_order on same_notifications (tx, global_id);
        create index same_notifications_by_age on same_notifications (created_at_ms);
        """;

    public static async Task CreateAsync(NpgsqlDataSource dataSource)
    {
        await using var create = dataSource.CreateCommand(Tables);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>One space per person, found by the keyed hash of the NIR, with a data key of its own, wrapped.</summary>
    public static async Task AddSpacesAsync(NpgsqlDataSource dataSource, SameWorkKeys keys, IEnumerable<(string Nir, DateOnly BirthDate)> people)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var copy = await connection.BeginBinaryImportAsync("copy same_spaces (space_id, nir_hash, birth_date, wrapped_key) from stdin (format binary)");
        foreach (var (nir, birthDate) in people)
        {
            var spaceId = Guid.NewGuid().ToString();
            await copy.StartRowAsync();
            await copy.WriteAsync(spaceId, NpgsqlDbType.Text);
            await copy.WriteAsync(keys.NirHash(nir), NpgsqlDbType.Text);
            await copy.WriteAsync(birthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Text);
            await copy.WriteAsync(keys.Wrap("space:" + spaceId, RandomNumberGenerator.GetBytes(32)), NpgsqlDbType.Text);
        }

        await copy.CompleteAsync();
    }

    public static async Task AddMailboxesAsync(NpgsqlDataSource dataSource, IEnumerable<(string MailboxId, string Address, string DisplayName)> mailboxes)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var copy = await connection.BeginBinaryImportAsync("copy same_mailboxes (mailbox_id, address, display_name) from stdin (format binary)");
        foreach (var (mailboxId, address, displayName) in mailboxes)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(mailboxId, NpgsqlDbType.Text);
            await copy.WriteAsync(address, NpgsqlDbType.Text);
            await copy.WriteAsync(displayName, NpgsqlDbType.Text);
        }

        await copy.CompleteAsync();
    }

    /// <summary>
    /// Fails unless every operation left its rows and its object, and every space's chain holds:
    /// a floor that skipped work would flatter nothing but itself.
    /// </summary>
    public static async Task VerifyAsync(NpgsqlDataSource dataSource, SameWorkKeys keys, string rowTable, long expectedRows, long expectedHistory, long expectedNotifications, long expectedObjects, int objects)
    {
        await using var command = dataSource.CreateCommand(
            $"select (select count(*) from {rowTable}), (select count(*) from same_access_history), (select count(*) from same_notifications)");
        await using (var reader = await command.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            var (rows, history, notifications) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            if (rows != expectedRows || history != expectedHistory || notifications != expectedNotifications || objects != expectedObjects)
            {
                throw new InvalidOperationException(
                    $"the same-work server left {rows} rows in {rowTable}, {history} history entries, {notifications} notifications and {objects} objects; expected {expectedRows}, {expectedHistory}, {expectedNotifications} and {expectedObjects}");
            }
        }

        await using var chain = dataSource.CreateCommand(
            "select space_id, seq, entry_id, at_ms, rpps, via, action, target, outcome, prev_hash, hash from same_access_history order by space_id, seq");
        await using var entries = await chain.ExecuteReaderAsync();
        var (space, previous, expected) = ("", SameWorkHistory.Genesis, 1L);
        while (await entries.ReadAsync())
        {
            if (entries.GetString(0) != space)
            {
                (space, previous, expected) = (entries.GetString(0), SameWorkHistory.Genesis, 1L);
            }

            var hash = SameWorkHistory.HashOf(keys.HistoryKey, space, entries.GetInt64(1), entries.GetString(2), entries.GetInt64(3), entries.GetString(4),
                entries.GetString(5), entries.GetString(6), entries.GetString(7), entries.GetString(8), entries.GetString(9));
            if (entries.GetInt64(1) != expected || entries.GetString(9) != previous || entries.GetString(10) != hash)
            {
                throw new InvalidOperationException($"the same-work server's history of space {space} breaks at entry {expected}");
            }

            (previous, expected) = (hash, expected + 1);
        }
    }
}
