using MonEspaceSante.Access;
using MonEspaceSante.Documents;
using MonEspaceSante.Identity;
using MonEspaceSante.Professionals;
using MonEspaceSante.Spaces;

namespace MonEspaceSante.Tests.Unit;

/// <summary>
/// The patient's rules at their edges: each space status, a block against everything else, the
/// treating doctor and masked documents, break-glass, authorisations ending exactly now, and the
/// professions' default rights as docs/access.md lists them.
/// </summary>
public sealed class AccessRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DocumentCategory[] Every = Enum.GetValues<DocumentCategory>();

    private static readonly ProfessionalInfo Physician = Pro("10001000008", "10");
    private static readonly ProfessionalInfo Pharmacist = Pro("10003000006", "21");

    private static ProfessionalInfo Pro(string rpps, string professionCode, string? finess = "750000001") =>
        new(rpps, "Martin", "Claire", professionCode, "Profession " + professionCode, null, finess, "Cabinet", "Paris");

    private static PatientSpaceState Space(SpaceStatus status = SpaceStatus.Active) =>
        new() { SpaceId = Guid.NewGuid(), Status = status, Grants = [], Emergencies = [] };

    private static GrantState Authorised(ProfessionalInfo professional, DateTimeOffset? expiresAt = null, List<DocumentCategory>? categories = null) =>
        new() { Rpps = professional.Rpps, Status = GrantStatus.Authorised, ExpiresAt = expiresAt, Categories = categories, ProfessionCode = professional.ProfessionCode };

    private static GrantState Blocked(ProfessionalInfo professional) =>
        new() { Rpps = professional.Rpps, Status = GrantStatus.Blocked, ProfessionCode = professional.ProfessionCode };

    private static EmergencyState Emergency(ProfessionalInfo professional, DateTimeOffset until) =>
        new() { Rpps = professional.Rpps, OpenedAt = until.AddHours(-24), Until = until, Reason = "Patient inconscient aux urgences" };

    private static AccessDecision Decide(PatientSpaceState? state, ProfessionalInfo? professional, AccessOptions? options = null) =>
        AccessRules.Decide(state, professional, Now, options ?? new AccessOptions());

    [Fact]
    public void No_space_is_no_space()
    {
        Decide(null, Physician).Should().Be(AccessDecision.Deny(DenialReason.NoSpace));
    }

    [Theory]
    [InlineData(SpaceStatus.Created)]
    [InlineData(SpaceStatus.Opposed)]
    public void A_space_that_is_not_active_is_not_there_even_for_an_authorised_professional(SpaceStatus status)
    {
        var space = Space(status);
        space.Grants!.Add(Authorised(Physician));
        space.TreatingDoctor = Physician.Rpps;

        Decide(space, Physician).Denial.Should().Be(DenialReason.NoSpace);
    }

    [Fact]
    public void Every_space_status_is_decided_and_only_an_active_space_opens()
    {
        // A new status added to the enum must be given a decision here: only Active lets anyone in.
        foreach (var status in Enum.GetValues<SpaceStatus>())
        {
            var space = Space(status);
            space.Grants!.Add(Authorised(Physician));
            Decide(space, Physician).Allowed.Should().Be(status == SpaceStatus.Active, $"a {status} space");
        }
    }

    [Fact]
    public void A_closed_space_tells_someone_the_patient_trusted_that_it_is_closed()
    {
        var space = Space(SpaceStatus.Closed);
        space.Grants!.Add(Authorised(Physician));

        Decide(space, Physician).Should().Be(AccessDecision.Deny(DenialReason.SpaceClosed));
    }

    [Fact]
    public void A_closed_space_tells_its_treating_doctor_that_it_is_closed()
    {
        var space = Space(SpaceStatus.Closed);
        space.TreatingDoctor = Physician.Rpps;

        Decide(space, Physician).Denial.Should().Be(DenialReason.SpaceClosed);
    }

    [Fact]
    public void A_closed_space_tells_anyone_else_nothing()
    {
        var space = Space(SpaceStatus.Closed);
        space.Grants!.Add(Blocked(Pharmacist));
        space.Grants.Add(Authorised(Physician, expiresAt: Now));

        Decide(space, Pharmacist).Denial.Should().Be(DenialReason.NoSpace, "a blocked professional was never trusted");
        Decide(space, Physician).Denial.Should().Be(DenialReason.NoSpace, "an authorisation ending exactly now is no longer in force");
        Decide(space, Pro("10005000004", "10")).Denial.Should().Be(DenialReason.NoSpace, "a stranger learns nothing");
        Decide(space, null).Denial.Should().Be(DenialReason.NoSpace);
    }

    [Fact]
    public void A_closed_space_still_tells_a_professional_whose_authorisation_ends_a_tick_later()
    {
        var space = Space(SpaceStatus.Closed);
        space.Grants!.Add(Authorised(Physician, expiresAt: Now.AddTicks(1)));

        Decide(space, Physician).Denial.Should().Be(DenialReason.SpaceClosed);
    }

    [Fact]
    public void An_unknown_professional_is_refused_on_an_active_space()
    {
        Decide(Space(), null).Should().Be(AccessDecision.Deny(DenialReason.UnknownProfessional));
    }

    [Fact]
    public void A_block_beats_the_treating_doctor_designation_and_a_break_glass_in_force()
    {
        var space = Space();
        space.Grants!.Add(Blocked(Physician));
        space.TreatingDoctor = Physician.Rpps;
        space.Emergencies!.Add(Emergency(Physician, Now.AddHours(1)));

        var decision = Decide(space, Physician);

        decision.Allowed.Should().BeFalse();
        decision.Rights.Should().BeNull();
        decision.Denial.Should().Be(DenialReason.Blocked);
    }

    [Fact]
    public void The_treating_doctor_sees_every_category_and_masked_documents_without_end()
    {
        var space = Space();
        space.TreatingDoctor = Physician.Rpps;

        var rights = Decide(space, Physician).Rights!;

        rights.Categories.Should().BeEquivalentTo(Every);
        rights.SeesMasked.Should().BeTrue();
        rights.TreatingDoctor.Should().BeTrue();
        rights.Emergency.Should().BeFalse();
        rights.Until.Should().BeNull();
    }

    [Fact]
    public void The_treating_doctor_needs_no_authorisation_in_force()
    {
        var space = Space();
        space.TreatingDoctor = Physician.Rpps;
        space.Grants!.Add(Authorised(Physician, expiresAt: Now.AddDays(-1), categories: [DocumentCategory.Prescription]));

        var rights = Decide(space, Physician).Rights!;

        rights.TreatingDoctor.Should().BeTrue();
        rights.Categories.Should().BeEquivalentTo(Every);
    }

    [Fact]
    public void Being_the_treating_doctor_of_another_space_gives_nothing_here()
    {
        var space = Space();
        space.TreatingDoctor = Physician.Rpps;

        Decide(space, Pro("10002000007", "10")).Denial.Should().Be(DenialReason.NoGrant);
    }

    [Fact]
    public void Break_glass_sees_every_category_but_never_masked_documents_until_it_ends()
    {
        var space = Space();
        var until = Now.AddHours(24);
        space.Emergencies!.Add(Emergency(Pharmacist, until));

        var rights = Decide(space, Pharmacist).Rights!;

        rights.Categories.Should().BeEquivalentTo(Every);
        rights.SeesMasked.Should().BeFalse("an emergency is not the patient's consent to lift a mask");
        rights.Emergency.Should().BeTrue();
        rights.TreatingDoctor.Should().BeFalse();
        rights.Until.Should().Be(until);
    }

    [Fact]
    public void Break_glass_widens_a_narrower_authorisation_while_it_lasts()
    {
        var space = Space();
        space.Grants!.Add(Authorised(Pharmacist, categories: [DocumentCategory.Prescription]));
        space.Emergencies!.Add(Emergency(Pharmacist, Now.AddHours(2)));

        var rights = Decide(space, Pharmacist).Rights!;

        rights.Emergency.Should().BeTrue();
        rights.Categories.Should().BeEquivalentTo(Every);
    }

    [Fact]
    public void Break_glass_ending_exactly_now_is_over()
    {
        var space = Space();
        space.Emergencies!.Add(Emergency(Pharmacist, Now));

        Decide(space, Pharmacist).Denial.Should().Be(DenialReason.NoGrant);
    }

    [Fact]
    public void Break_glass_ending_a_tick_after_now_still_holds()
    {
        var space = Space();
        space.Emergencies!.Add(Emergency(Pharmacist, Now.AddTicks(1)));

        Decide(space, Pharmacist).Rights!.Emergency.Should().BeTrue();
    }

    [Fact]
    public void After_break_glass_ends_an_authorisation_in_force_applies_again()
    {
        var space = Space();
        space.Grants!.Add(Authorised(Pharmacist, categories: [DocumentCategory.Prescription]));
        space.Emergencies!.Add(Emergency(Pharmacist, Now));

        var rights = Decide(space, Pharmacist).Rights!;

        rights.Emergency.Should().BeFalse();
        rights.Categories.Should().Equal(DocumentCategory.Prescription);
    }

    [Fact]
    public void An_emergency_opt_out_ignores_any_break_glass_still_recorded()
    {
        var space = Space();
        space.EmergencyOptOut = true;
        space.Emergencies!.Add(Emergency(Pharmacist, Now.AddHours(1)));

        Decide(space, Pharmacist).Denial.Should().Be(DenialReason.NoGrant);
    }

    [Fact]
    public void Another_professional_s_break_glass_gives_nothing()
    {
        var space = Space();
        space.Emergencies!.Add(Emergency(Physician, Now.AddHours(1)));

        Decide(space, Pharmacist).Denial.Should().Be(DenialReason.NoGrant);
    }

    [Fact]
    public void An_authorisation_without_end_holds_and_says_so()
    {
        var space = Space();
        space.Grants!.Add(Authorised(Physician));

        var rights = Decide(space, Physician).Rights!;

        rights.Until.Should().BeNull();
        rights.SeesMasked.Should().BeFalse("only the treating doctor sees masked documents");
        rights.TreatingDoctor.Should().BeFalse();
        rights.Emergency.Should().BeFalse();
    }

    [Fact]
    public void An_authorisation_ending_exactly_now_has_expired()
    {
        var space = Space();
        space.Grants!.Add(Authorised(Pharmacist, expiresAt: Now));

        Decide(space, Pharmacist).Should().Be(AccessDecision.Deny(DenialReason.GrantExpired));
    }

    [Fact]
    public void An_authorisation_ending_a_tick_after_now_holds_until_then()
    {
        var space = Space();
        var end = Now.AddTicks(1);
        space.Grants!.Add(Authorised(Pharmacist, expiresAt: end));

        var decision = Decide(space, Pharmacist);

        decision.Allowed.Should().BeTrue();
        decision.Denial.Should().Be(DenialReason.None);
        decision.Rights!.Until.Should().Be(end);
    }

    [Fact]
    public void No_decision_of_the_patient_is_no_grant()
    {
        var space = Space();
        space.Grants = null;

        Decide(space, Pharmacist).Should().Be(AccessDecision.Deny(DenialReason.NoGrant));
    }

    [Fact]
    public void Categories_the_patient_chose_replace_the_profession_s_default()
    {
        var space = Space();
        space.Grants!.Add(Authorised(Physician, categories: [DocumentCategory.Imaging, DocumentCategory.LabResult]));

        Decide(space, Physician).Rights!.Categories.Should().BeEquivalentTo([DocumentCategory.Imaging, DocumentCategory.LabResult]);
    }

    public static TheoryData<string, DocumentCategory[]> DefaultCategories => new()
    {
        // docs/access.md, "Default rights by profession", written out here rather than read from the code.
        { "10", Enum.GetValues<DocumentCategory>() },
        {
            "50",
            [
                DocumentCategory.Prescription, DocumentCategory.LabResult, DocumentCategory.Imaging, DocumentCategory.Hospitalisation,
                DocumentCategory.Vaccination, DocumentCategory.ConsultationReport, DocumentCategory.Other, DocumentCategory.BloodGroupCard,
            ]
        },
        { "40", [DocumentCategory.Prescription, DocumentCategory.LabResult, DocumentCategory.Imaging, DocumentCategory.ConsultationReport] },
        { "21", [DocumentCategory.Prescription, DocumentCategory.LabResult, DocumentCategory.Vaccination] },
        { "60", [DocumentCategory.Prescription, DocumentCategory.LabResult, DocumentCategory.Vaccination, DocumentCategory.ConsultationReport, DocumentCategory.Hospitalisation] },
        { "70", [DocumentCategory.Prescription, DocumentCategory.Imaging, DocumentCategory.ConsultationReport, DocumentCategory.Hospitalisation] },
        { "91", [DocumentCategory.Prescription, DocumentCategory.ConsultationReport] },
    };

    [Theory]
    [MemberData(nameof(DefaultCategories))]
    public void Without_a_choice_a_professional_sees_the_default_categories_of_their_profession(string professionCode, DocumentCategory[] expected)
    {
        var professional = Pro("10006000003", professionCode);
        var space = Space();
        space.Grants!.Add(Authorised(professional));

        Decide(space, professional).Rights!.Categories.Should().BeEquivalentTo(expected);
    }

    [Theory]
    [InlineData("10", 0)]
    [InlineData("50", 0)]
    [InlineData("40", 0)]
    [InlineData("21", 3)]
    [InlineData("60", 90)]
    [InlineData("70", 90)]
    [InlineData("91", 90)]
    public void Each_profession_s_authorisation_lasts_as_documented(string professionCode, int days)
    {
        new AccessOptions().RuleFor(professionCode).GrantDays.Should().Be(days);
    }

    [Fact]
    public void Administrative_papers_are_for_physicians_only_except_the_blood_group_card_which_a_midwife_also_sees()
    {
        var administrative = Every.Where(c => DocumentCategories.TabOf(c) == DocumentTab.Administrative).ToList();
        administrative.Should().Contain([DocumentCategory.IdentityDocument, DocumentCategory.BloodGroupCard, DocumentCategory.DisabilityCard]);

        foreach (var code in new[] { "10", "50", "40", "21", "60", "70", "91" })
        {
            var professional = Pro("10006000003", code);
            var space = Space();
            space.Grants!.Add(Authorised(professional));
            var seen = Decide(space, professional).Rights!.Categories;
            foreach (var category in administrative)
            {
                var expected = code == "10" || (code == "50" && category == DocumentCategory.BloodGroupCard);
                seen.Contains(category).Should().Be(expected, $"profession {code} and {category}");
            }
        }
    }

    [Fact]
    public void A_profession_configured_by_the_deployment_replaces_the_built_in_default_as_it_is_at_each_access()
    {
        var options = new AccessOptions();
        options.Professions["21"] = new ProfessionRule { Categories = [DocumentCategory.Imaging], GrantDays = 7 };
        var space = Space();
        space.Grants!.Add(Authorised(Pharmacist));

        Decide(space, Pharmacist, options).Rights!.Categories.Should().Equal(DocumentCategory.Imaging);
        options.RuleFor("21").GrantDays.Should().Be(7);
    }

    [Fact]
    public void A_configured_profession_without_categories_keeps_the_built_in_default()
    {
        var options = new AccessOptions();
        options.Professions["21"] = new ProfessionRule { Categories = [], GrantDays = 7 };
        var space = Space();
        space.Grants!.Add(Authorised(Pharmacist));

        Decide(space, Pharmacist, options).Rights!.Categories.Should().BeEquivalentTo([DocumentCategory.Prescription, DocumentCategory.LabResult, DocumentCategory.Vaccination]);
    }

    [Fact]
    public void Options_are_required()
    {
        var decide = () => AccessRules.Decide(Space(), Physician, Now, null!);

        decide.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Any_known_professional_may_feed_a_space_still_waiting_for_activation_without_reading_anything()
    {
        var rights = AccessRules.DecideUpload(Space(SpaceStatus.Created), Pharmacist, Now, new AccessOptions()).Rights!;

        rights.Categories.Should().BeEmpty("feeding a waiting space reveals nothing of it");
        rights.SeesMasked.Should().BeFalse();
        rights.Emergency.Should().BeFalse();
        rights.TreatingDoctor.Should().BeFalse();
    }

    [Fact]
    public void An_unknown_professional_may_not_feed_a_waiting_space()
    {
        AccessRules.DecideUpload(Space(SpaceStatus.Created), null, Now, new AccessOptions()).Denial.Should().Be(DenialReason.NoSpace);
    }

    [Theory]
    [InlineData(SpaceStatus.Opposed, DenialReason.NoSpace)]
    [InlineData(SpaceStatus.Active, DenialReason.NoGrant)]
    public void Outside_a_waiting_space_an_upload_needs_the_same_rights_as_reading(SpaceStatus status, DenialReason denial)
    {
        AccessRules.DecideUpload(Space(status), Pharmacist, Now, new AccessOptions()).Denial.Should().Be(denial);
    }

    [Fact]
    public void An_upload_to_a_closed_space_is_refused_as_reading_is()
    {
        var space = Space(SpaceStatus.Closed);
        space.Grants!.Add(Authorised(Pharmacist));

        AccessRules.DecideUpload(space, Pharmacist, Now, new AccessOptions()).Denial.Should().Be(DenialReason.SpaceClosed);
    }

    [Fact]
    public void A_professional_s_own_token_needs_no_facility()
    {
        var caller = Caller.Professional(Rpps.TryParse(Physician.Rpps, out var rpps) ? rpps : throw new InvalidOperationException());

        AccessRules.Vouched(caller, Physician).Should().BeTrue();
        AccessRules.Vouched(caller, Pro(Physician.Rpps, "10", finess: null)).Should().BeTrue();
    }

    [Theory]
    [InlineData("750000001", "750000001", true)]
    [InlineData("750000001", "690000002", false)]
    [InlineData("", "750000001", false)]
    [InlineData(null, "750000001", false)]
    [InlineData("750000001", null, false)]
    [InlineData("", null, false)]
    public void Software_vouches_only_for_professionals_of_its_own_facility(string? softwareFacility, string? professionalFacility, bool vouched)
    {
        var caller = new Caller(CallerKind.Professional, Physician.Rpps) { Via = "lab-system", ViaFacility = softwareFacility };

        AccessRules.Vouched(caller, Pro(Physician.Rpps, "10", professionalFacility)).Should().Be(vouched);
    }

    [Fact]
    public void Software_cannot_vouch_for_a_professional_the_directory_does_not_know()
    {
        var caller = new Caller(CallerKind.Professional, Physician.Rpps) { Via = "lab-system", ViaFacility = "750000001" };

        AccessRules.Vouched(caller, null).Should().BeFalse();
    }

    [Theory]
    [InlineData(SpaceStatus.Created)]
    [InlineData(SpaceStatus.Opposed)]
    [InlineData(SpaceStatus.Closed)]
    public void Break_glass_opens_on_an_active_space_only(SpaceStatus status)
    {
        AccessRules.CanOpenEmergency(Space(status), Pharmacist).Should().Be(DenialReason.NoSpace);
        AccessRules.CanOpenEmergency(null, Pharmacist).Should().Be(DenialReason.NoSpace);
    }

    [Fact]
    public void Break_glass_needs_a_known_professional()
    {
        AccessRules.CanOpenEmergency(Space(), null).Should().Be(DenialReason.UnknownProfessional);
    }

    [Fact]
    public void Break_glass_is_refused_to_a_blocked_professional_before_the_opt_out_is_considered()
    {
        var space = Space();
        space.Grants!.Add(Blocked(Pharmacist));
        space.EmergencyOptOut = true;

        AccessRules.CanOpenEmergency(space, Pharmacist).Should().Be(DenialReason.Blocked);
    }

    [Fact]
    public void Break_glass_is_refused_when_the_patient_opted_out()
    {
        var space = Space();
        space.EmergencyOptOut = true;

        AccessRules.CanOpenEmergency(space, Pharmacist).Should().Be(DenialReason.EmergencyOptOut);
    }

    [Fact]
    public void Break_glass_opens_for_a_known_professional_with_or_without_a_decision_of_the_patient()
    {
        var space = Space();
        AccessRules.CanOpenEmergency(space, Pharmacist).Should().Be(DenialReason.None);

        space.Grants!.Add(Authorised(Pharmacist, expiresAt: Now));
        AccessRules.CanOpenEmergency(space, Pharmacist).Should().Be(DenialReason.None);

        space.Grants = null;
        AccessRules.CanOpenEmergency(space, Pharmacist).Should().Be(DenialReason.None);
    }
}
