using Dapper;
using MonEspaceSante.Access;
using MonEspaceSante.Documents;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;
using MonEspaceSante.Professionals;
using MonEspaceSante.Spaces;
using Npgsql;

namespace MonEspaceSante.Tests.Grains;

/// <summary>
/// The patient space grain called directly on a two-silo cluster (no HTTP): activation, the
/// patient's decisions and professionals' accesses made from either silo, each access written
/// to the history in PostgreSQL, and a closed space read-only.
/// </summary>
public sealed class PatientSpaceGrainTests(PatientSpaceGrainTests.Fixture cluster) : IClassFixture<PatientSpaceGrainTests.Fixture>
{
    private static readonly ProfessionalInfo Physician = new("10001000008", "Martin", "Claire", "10", "Médecin", "Médecine générale", "750000001", "Cabinet Martin", "Paris");
    private static readonly ProfessionalInfo Pharmacist = new("10003000006", "Petit", "Léa", "21", "Pharmacien", null, "330000003", "Pharmacie du Port", "Bordeaux");

    public sealed class Fixture : PlatformCluster
    {
        protected override Task SetUpAsync() => AddProfessionalsAsync(Physician, Pharmacist);
    }

    private static Caller As(ProfessionalInfo professional) => Caller.Professional(Rpps.Parse(professional.Rpps));

    private IPatientAccessGrain Access(int silo, EnrolledPerson person) => cluster.FromSilo(silo).GetGrain<IPatientAccessGrain>(person.SpaceId);

    private async Task<List<AccessHistoryEntry>> HistoryAsync(EnrolledPerson person) =>
        (await Access(0, person).GetHistoryAsync(person.Patient, new AccessHistoryFilter(null, null, null, null, null, Limit: 200))).Items.ToList();

    private async Task<long> HistoryRowsAsync(EnrolledPerson person)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        return await connection.ExecuteScalarAsync<long>("select count(*) from access_history where space_id = @id", new { id = person.SpaceId.ToString() });
    }

    [Fact]
    public async Task A_space_activated_with_its_code_is_active_on_both_silos()
    {
        var person = await cluster.EnrolAsync();
        var waiting = await cluster.FromSilo(1).GetGrain<IPatientSpaceGrain>(person.SpaceId).GetSummaryAsync(person.Patient);
        waiting.Status.Should().Be(SpaceStatus.Created);

        var activated = await cluster.FromSilo(0).GetGrain<IPatientSpaceGrain>(person.SpaceId).ActivateAsync(person.Activation());

        activated.Status.Should().Be(SpaceStatus.Active);
        activated.Email.Should().Be(person.Email);
        activated.ActivatedAt.Should().Be(PlatformCluster.Start);
        var seen = await cluster.FromSilo(1).GetGrain<IPatientSpaceGrain>(person.SpaceId).GetSummaryAsync(person.Patient);
        seen.Should().BeEquivalentTo(activated);
    }

    [Fact]
    public async Task A_used_code_activates_nothing_again()
    {
        var person = await cluster.ActivatedAsync(silo: 0);

        var again = () => cluster.FromSilo(1).GetGrain<IPatientSpaceGrain>(person.SpaceId).ActivateAsync(person.Activation());

        (await again.Should().ThrowAsync<DomainException>()).Which.Error.Should().Be(DomainError.ActivationRefused);
    }

    [Fact]
    public async Task A_professional_the_patient_authorised_is_allowed_from_either_silo_and_each_access_is_recorded()
    {
        var person = await cluster.ActivatedAsync(silo: 0);
        await Access(1, person).SetProfessionalAsync(person.Patient, Pharmacist.Rpps, new GrantRequest(GrantStatus.Authorised, null, null));

        var fromFirst = await Access(0, person).FindAsync(As(Pharmacist), person.Search());
        var fromSecond = await Access(1, person).FindAsync(As(Pharmacist), person.Search());

        foreach (var match in new[] { fromFirst, fromSecond })
        {
            match.PatientId.Should().Be(person.SpaceId);
            match.Access.Categories.Should().BeEquivalentTo([DocumentCategory.Prescription, DocumentCategory.LabResult, DocumentCategory.Vaccination]);
            match.Access.SeesMasked.Should().BeFalse();
            match.Access.Until.Should().Be(PlatformCluster.Start.AddDays(3), "a pharmacist's authorisation lasts 3 days");
        }

        var history = await HistoryAsync(person);
        history.Should().HaveCount(2);
        history.Should().OnlyContain(e => e.Rpps == Pharmacist.Rpps && e.Action == AccessAction.FindPatient && e.Outcome == AccessOutcome.Allowed);
        (await HistoryRowsAsync(person)).Should().Be(2);
        (await Access(1, person).VerifyHistoryAsync(person.Patient)).Should().Match<HistoryVerification>(v => v.Intact && v.Entries == 2);
    }

    [Fact]
    public async Task A_revocation_made_on_one_silo_applies_to_the_next_call_from_the_other()
    {
        var person = await cluster.ActivatedAsync(silo: 1);
        await Access(0, person).SetProfessionalAsync(person.Patient, Physician.Rpps, new GrantRequest(GrantStatus.Authorised, null, null));
        (await Access(1, person).FindAsync(As(Physician), person.Search())).Access.Categories.Should().BeEquivalentTo(Enum.GetValues<DocumentCategory>());

        await Access(0, person).RevokeAsync(person.Patient, Physician.Rpps);
        var find = () => Access(1, person).FindAsync(As(Physician), person.Search());

        (await find.Should().ThrowAsync<DomainException>()).Which.Error.Should().Be(DomainError.NotFound);
        var history = await HistoryAsync(person);
        history.Select(e => e.Outcome).Should().BeEquivalentTo([AccessOutcome.Allowed, AccessOutcome.Denied], "the refusal is recorded too");
        (await HistoryRowsAsync(person)).Should().Be(2);
    }

    [Fact]
    public async Task A_block_from_one_silo_ends_the_treating_doctor_s_access_from_the_other_emergency_included()
    {
        var person = await cluster.ActivatedAsync();
        await Access(0, person).SetTreatingDoctorAsync(person.Patient, Physician.Rpps);
        (await Access(1, person).FindAsync(As(Physician), person.Search())).Access.SeesMasked.Should().BeTrue("the treating doctor sees masked documents");

        var settings = await Access(0, person).SetProfessionalAsync(person.Patient, Physician.Rpps, new GrantRequest(GrantStatus.Blocked, null, null));
        settings.TreatingDoctor.Should().BeNull("a block ends the designation");

        var find = () => Access(1, person).FindAsync(As(Physician), person.Search());
        var emergency = () => Access(1, person).OpenEmergencyAccessAsync(As(Physician), person.Search(), "Patient inconscient aux urgences");
        (await find.Should().ThrowAsync<DomainException>()).Which.Error.Should().Be(DomainError.NotFound);
        (await emergency.Should().ThrowAsync<DomainException>()).Which.Error.Should().Be(DomainError.NotFound);
        (await HistoryAsync(person)).Select(e => e.Outcome).Should().Equal(AccessOutcome.Denied, AccessOutcome.Denied, AccessOutcome.Allowed);
    }

    [Fact]
    public async Task Traits_that_do_not_match_are_refused_and_recorded_even_for_an_authorised_professional()
    {
        var person = await cluster.ActivatedAsync();
        await Access(0, person).SetProfessionalAsync(person.Patient, Physician.Rpps, new GrantRequest(GrantStatus.Authorised, null, null));

        var find = () => Access(1, person).FindAsync(As(Physician), person.Search(birthName: "Dupont"));

        (await find.Should().ThrowAsync<DomainException>()).Which.Error.Should().Be(DomainError.NotFound);
        var entry = (await HistoryAsync(person)).Should().ContainSingle().Subject;
        entry.Outcome.Should().Be(AccessOutcome.Denied);
        entry.Rpps.Should().Be(Physician.Rpps);
    }

    [Fact]
    public async Task A_closed_space_refuses_the_patient_s_changes_and_every_professional_but_keeps_its_history_readable()
    {
        var person = await cluster.ActivatedAsync();
        await Access(0, person).SetProfessionalAsync(person.Patient, Physician.Rpps, new GrantRequest(GrantStatus.Authorised, null, null));

        var closed = await cluster.FromSilo(1).GetGrain<IPatientSpaceGrain>(person.SpaceId).CloseAsync(person.Patient, PlatformCluster.Password);
        closed.Status.Should().Be(SpaceStatus.Closed);

        var grant = () => Access(0, person).SetProfessionalAsync(person.Patient, Pharmacist.Rpps, new GrantRequest(GrantStatus.Authorised, null, null));
        var revoke = () => Access(1, person).RevokeAsync(person.Patient, Physician.Rpps);
        var optOut = () => Access(1, person).SetEmergencyOptOutAsync(person.Patient, true);
        (await grant.Should().ThrowAsync<DomainException>()).Which.Error.Should().Be(DomainError.SpaceClosed);
        (await revoke.Should().ThrowAsync<DomainException>()).Which.Error.Should().Be(DomainError.SpaceClosed);
        (await optOut.Should().ThrowAsync<DomainException>()).Which.Error.Should().Be(DomainError.SpaceClosed);

        var find = () => Access(0, person).FindAsync(As(Physician), person.Search());
        (await find.Should().ThrowAsync<DomainException>()).Which.Error.Should().Be(DomainError.NotFound, "professionals get nothing from a closed space");

        var settings = await Access(1, person).GetSettingsAsync(person.Patient);
        settings.Professionals.Should().ContainSingle(p => p.Rpps == Physician.Rpps, "nothing changed");
        (await HistoryAsync(person)).Should().BeEmpty("a space not open to professionals records nothing: it answers as no space does (docs/access.md)");
    }

    [Fact]
    public async Task Someone_else_s_space_is_not_found_for_a_patient()
    {
        var person = await cluster.ActivatedAsync();
        var other = Caller.Patient(Guid.NewGuid());

        var settings = () => Access(1, person).GetSettingsAsync(other);
        var grant = () => Access(0, person).SetProfessionalAsync(other, Physician.Rpps, new GrantRequest(GrantStatus.Authorised, null, null));

        (await settings.Should().ThrowAsync<DomainException>()).Which.Error.Should().Be(DomainError.NotFound);
        (await grant.Should().ThrowAsync<DomainException>()).Which.Error.Should().Be(DomainError.NotFound);
        (await Access(0, person).GetSettingsAsync(person.Patient)).Professionals.Should().BeEmpty();
    }
}
