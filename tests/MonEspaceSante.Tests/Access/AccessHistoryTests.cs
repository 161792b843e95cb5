using System.Net;
using System.Net.Http.Json;
using MonEspaceSante.Access;
using MonEspaceSante.Pdf;
using MonEspaceSante.Tests.Infrastructure;
using Npgsql;

namespace MonEspaceSante.Tests.Access;

/// <summary>The access history: filters, PDF export, the hash chain, and the database refusing to rewrite it.</summary>
public sealed class AccessHistoryTests : AccessTestBase
{
    private async Task<(Person Person, HttpClient Patient, Guid PatientId)> PatientWithAccessesAsync(int reads)
    {
        await AddProfessionalsAsync(Physician, Pharmacist);
        var (person, patient) = await ActivePatientAsync();
        await GrantAsync(patient, Physician);
        using var pro = await ProAsync(Physician);
        var patientId = await FindOkAsync(pro, person);
        for (var i = 0; i < reads; i++)
        {
            Silo.Clock.Advance(TimeSpan.FromMinutes(1));
            await ProListAsync(pro, patientId);
        }

        using var stranger = await ProAsync(Pharmacist);
        (await FindAsync(stranger, person)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        return (person, patient, patientId);
    }

    [Fact]
    public async Task The_patient_filters_and_pages_the_history_newest_first()
    {
        var (_, patient, _) = await PatientWithAccessesAsync(reads: 5);

        var all = await HistoryAsync(patient);
        all.Total.Should().Be(7);
        all.Items.Select(e => e.Sequence).Should().BeInDescendingOrder();
        (await HistoryAsync(patient, "?outcome=Denied")).Items.Should().ContainSingle(e => e.Rpps == Pharmacist.Rpps);
        (await HistoryAsync(patient, $"?rpps={Physician.Rpps}&action=ListDocuments")).Total.Should().Be(5);
        var page = await HistoryAsync(patient, "?offset=2&limit=2");
        page.Items.Select(e => e.Sequence).Should().Equal(5, 4);
        var from = Start.AddMinutes(3).ToString("O");
        (await HistoryAsync(patient, $"?from={Uri.EscapeDataString(from)}&outcome=Allowed")).Total.Should().Be(3);
        (await patient.GetAsync("/api/me/access-history?limit=0")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_export_is_a_readable_pdf_of_every_entry_with_the_chain_state()
    {
        var (_, patient, _) = await PatientWithAccessesAsync(reads: 2);

        using var response = await patient.GetAsync("/api/me/access-history/pdf");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        var pdf = await response.Content.ReadAsByteArrayAsync();
        await PdfLayout.ShouldStayWithinMarginsAsync(pdf, LetterRenderer.Margin);
        var text = await PdfText.ExtractAsync(pdf);
        text.Should().Contain("Historique des accès").And.Contain("Claire Martin").And.Contain(Pharmacist.Rpps)
            .And.Contain("refusé").And.Contain("Chaîne d'empreintes vérifiée");
    }

    [Fact]
    public async Task The_chain_verifies_and_a_row_altered_by_a_superuser_is_detected_even_with_the_hashes_recomputed()
    {
        var (_, patient, patientId) = await PatientWithAccessesAsync(reads: 3);
        var intact = await patient.GetFromJsonAsync<HistoryVerification>("/api/me/access-history/verify", Json.Options);
        intact!.Intact.Should().BeTrue();
        intact.Entries.Should().Be(5);

        // A superuser steps around the trigger, changes who read entry 3, and recomputes every
        // later hash as plain SHA-256 would: without the silo's key, the chain still does not hold.
        await SuperuserAsync(patientId, "update access_history set rpps = '10002000007' where space_id = @id and seq = 3");
        var rows = await ReadRowsAsync(patientId);
        var previous = rows[1].Hash;
        foreach (var row in rows.Skip(2))
        {
            row.PrevHash = previous;
            row.Alg = MonEspaceSante.Access.AccessHistory.LegacyAlg;
            row.Hash = MonEspaceSante.Access.AccessHistory.HashOf(row, []);
            previous = row.Hash;
            await SuperuserAsync(patientId, $"update access_history set prev_hash = '{row.PrevHash}', hash = '{row.Hash}' where space_id = @id and seq = {row.Seq}");
        }

        await SuperuserAsync(patientId, $"update access_history_heads set hash = '{previous}' where space_id = @id");
        var broken = await patient.GetFromJsonAsync<HistoryVerification>("/api/me/access-history/verify", Json.Options);
        broken!.Intact.Should().BeFalse();
        broken.FirstBrokenSequence.Should().Be(3);
        var text = await PdfText.ExtractAsync(await patient.GetByteArrayAsync("/api/me/access-history/pdf"));
        text.Should().Contain("ALTÉRATION DÉTECTÉE");
    }

    [Fact]
    public async Task An_append_on_a_head_remembered_stale_chains_on_the_stored_head_instead()
    {
        var (_, patient, patientId) = await PatientWithAccessesAsync(reads: 2);
        var rows = await ReadRowsAsync(patientId);
        var key = Silo.Get<MonEspaceSante.Security.KeyRing>().HistoryKey;
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            // Stale (one behind), right, and unknown: each entry lands once, right after the stored head.
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var head = (await ReadRowsAsync(patientId))[^1];
                HistoryHead? known = attempt switch { 0 => new(rows[^2].Seq, rows[^2].Hash), 1 => null, _ => new(head.Seq, head.Hash) };

                await using var transaction = await connection.BeginTransactionAsync();
                var row = await AccessHistory.AppendAsync(connection, transaction, new HistoryRow
                {
                    SpaceId = patientId.ToString(), EntryId = Guid.NewGuid().ToString(), AtMs = Silo.Clock.GetUtcNow().ToUnixTimeMilliseconds(),
                    Rpps = Physician.Rpps, Action = nameof(AccessAction.ListDocuments), Outcome = nameof(AccessOutcome.Allowed),
                }, key, known);
                await transaction.CommitAsync();
                row.Seq.Should().Be(head.Seq + 1);
                row.PrevHash.Should().Be(head.Hash);
            }
        }

        // The grain remembers the head it wrote last, now three entries behind: its next entry still chains.
        using var pro = await ProAsync(Physician);
        await ProListAsync(pro, patientId);
        var verification = await patient.GetFromJsonAsync<HistoryVerification>("/api/me/access-history/verify", Json.Options);
        verification!.Intact.Should().BeTrue();
        verification.Entries.Should().Be(rows.Count + 4);
        (await ReadRowsAsync(patientId)).Select(r => r.Seq).Should().Equal(Enumerable.Range(1, rows.Count + 4).Select(i => (long)i));
    }

    [Fact]
    public async Task Entries_removed_from_the_end_of_the_history_are_detected()
    {
        var (_, patient, patientId) = await PatientWithAccessesAsync(reads: 2);
        await SuperuserAsync(patientId, "delete from access_history where space_id = @id and seq = 4");

        var broken = await patient.GetFromJsonAsync<HistoryVerification>("/api/me/access-history/verify", Json.Options);
        broken!.Intact.Should().BeFalse();
        broken.FirstBrokenSequence.Should().Be(4);
    }

    [Fact]
    public async Task The_silos_database_role_cannot_update_or_delete_history_rows_and_the_trigger_stops_even_the_owner()
    {
        var (_, _, patientId) = await PatientWithAccessesAsync(reads: 1);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        foreach (var (sql, asSilo) in new[]
        {
            ("update access_history set outcome = 'Allowed' where space_id = @id", true),
            ("delete from access_history where space_id = @id", true),
            ("truncate access_history", true),
            ("update access_history set outcome = 'Allowed' where space_id = @id", false),
            ("delete from access_history where space_id = @id", false),
        })
        {
            // As the silo's role (granted in the migration): refused by privilege; as the owner: by the trigger.
            await using var command = new NpgsqlCommand((asSilo ? "set role monespacesante_silo; " : "reset role; ") + sql, connection);
            command.Parameters.AddWithValue("id", patientId.ToString());
            var act = () => command.ExecuteNonQueryAsync();
            var refused = (await act.Should().ThrowAsync<PostgresException>()).Which;
            refused.SqlState.Should().Be("42501");
            refused.MessageText.Should().Contain(asSilo ? "permission denied" : "access history");
        }

        await using var reset = new NpgsqlCommand("reset role; select count(*) from access_history where space_id = @id", connection);
        reset.Parameters.AddWithValue("id", patientId.ToString());
        ((long)(await reset.ExecuteScalarAsync())!).Should().Be(3);
    }

    private async Task SuperuserAsync(Guid patientId, string sql)
    {
        await using var superuser = new NpgsqlConnection(ConnectionString);
        await superuser.OpenAsync();
        await using var command = new NpgsqlCommand($"set session_replication_role = replica; {sql}; set session_replication_role = origin;", superuser);
        command.Parameters.AddWithValue("id", patientId.ToString());
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<MonEspaceSante.Access.HistoryRow>> ReadRowsAsync(Guid patientId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var rows = await Dapper.SqlMapper.QueryAsync<MonEspaceSante.Access.HistoryRow>(connection,
            "select space_id as SpaceId, seq as Seq, entry_id as EntryId, at_ms as AtMs, rpps as Rpps, actor_name as ActorName, profession as Profession, facility as Facility, via as Via, " +
            "action as Action, target as Target, emergency as Emergency, reason as Reason, outcome as Outcome, prev_hash as PrevHash, hash as Hash, alg as Alg from access_history where space_id = @id order by seq",
            new { id = patientId.ToString() });
        return rows.ToList();
    }
}
