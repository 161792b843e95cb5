using System.CodeDom.Compiler;
using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MonEspaceSante.Access;
using MonEspaceSante.Api.Problems;
using MonEspaceSante.Documents;
using MonEspaceSante.Enrolment;
using MonEspaceSante.Errors;
using MonEspaceSante.HealthProfiles;
using MonEspaceSante.Identity;
using MonEspaceSante.Messaging;
using MonEspaceSante.Professionals;
using MonEspaceSante.Spaces;
using Orleans;
using Orleans.Serialization;

namespace MonEspaceSante.Tests.Unit;

/// <summary>
/// Every contract type crosses silos through Orleans' own serializer, so each must round-trip
/// intact, keep a stable alias, and a new type left unannotated must fail here rather than at
/// the first cross-silo call in production.
/// </summary>
public sealed class ContractSerializationTests
{
    private static readonly Assembly Contracts = typeof(Caller).Assembly;

    // They hold a System.IO.Stream, which cannot cross a grain call; they are to be redesigned.
    private static readonly HashSet<Type> StreamHolders =
    [
        typeof(DocumentContent),
        typeof(UploadContent),
        typeof(AttachmentContent),
        typeof(AttachmentUpload),
    ];

    private static readonly Nir SampleNir = Nir.Parse("185027512345625");
    private static readonly Rpps SampleRpps = Rpps.Parse("10001234565");
    private static readonly DateTimeOffset At = new(2025, 3, 14, 9, 26, 53, TimeSpan.FromHours(1));
    private static readonly DateOnly Day = new(1985, 2, 17);

    private static readonly IServiceProvider Services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private static readonly Serializer Serializer = Services.GetRequiredService<Serializer>();
    private static readonly DeepCopier Copier = Services.GetRequiredService<DeepCopier>();

    /// <summary>One sample per contract type, every member set to something other than its default.</summary>
    private static readonly IReadOnlyDictionary<Type, object> Samples = BuildSamples();

    public static TheoryData<string> SampleTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in Samples.Keys.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Fact]
    public void Every_contract_type_is_serializable_by_Orleans_under_a_stable_alias()
    {
        var missing = new List<string>();
        var aliases = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in ContractTypes())
        {
            // Nir and Rpps travel through a registered surrogate (see IdentitySurrogates.cs) so
            // that they are parsed, hence validated, on arrival; everything else is generated.
            if (type.GetCustomAttribute<GenerateSerializerAttribute>() is null && !HasRegisteredConverter(type))
            {
                missing.Add($"{type.FullName}: neither [GenerateSerializer] nor a [RegisterConverter] surrogate");
            }

            var alias = type.GetCustomAttribute<AliasAttribute>()?.Alias;
            if (alias is null || !alias.StartsWith("mes.", StringComparison.Ordinal))
            {
                missing.Add($"{type.FullName}: no [Alias(\"mes.…\")]");
            }
            else if (!aliases.TryAdd(alias, type))
            {
                missing.Add($"{type.FullName}: alias {alias} already names {aliases[alias].FullName}");
            }
        }

        missing.Should().BeEmpty();
    }

    [Fact]
    public void Every_contract_type_has_a_round_trip_sample()
    {
        // A generic contract (a health profile entry) is covered by a sample of one of its constructions.
        Samples.Keys.Select(t => (t.IsGenericType ? t.GetGenericTypeDefinition() : t).FullName).Should()
            .BeEquivalentTo(ContractTypes().Select(t => t.FullName), "a new contract type needs a sample in BuildSamples");

        // A member left at its default would come back equal even if the serializer dropped it.
        var leftDefault = Samples.Values.SelectMany(MembersLeftDefault).ToList();
        leftDefault.Should().BeEmpty();
    }

    [Fact]
    public void The_stream_holders_stay_out_of_Orleans_until_they_are_redesigned()
    {
        // Keeps the exception list honest: once one is redesigned without its Stream and
        // annotated, it must leave StreamHolders so that the round-trip tests cover it.
        foreach (var type in StreamHolders)
        {
            type.GetCustomAttribute<GenerateSerializerAttribute>().Should().BeNull(type.Name);
        }
    }

    [Theory]
    [MemberData(nameof(SampleTypes))]
    public void A_sample_survives_the_serializer_and_the_deep_copier(string typeName)
    {
        var sample = SampleOf(typeName);

        // As its own type: what a grain method with that parameter or result does.
        var typed = (object)RoundTripTypedMethod.MakeGenericMethod(sample.GetType()).Invoke(null, [sample])!;
        AssertSameValue(typed, sample);

        // As object: the runtime type travels by its alias.
        var boxed = Serializer.Deserialize<object>(Serializer.SerializeToArray<object>(sample));
        AssertSameValue(boxed, sample);

        // Within a silo, Orleans deep-copies arguments and results instead of serialising them.
        AssertSameValue(Copier.Copy<object>(sample), sample);
    }

    [Fact]
    public void A_caller_acting_through_software_keeps_its_software_and_facility()
    {
        var caller = Caller.Professional(SampleRpps, via: "lab-software", viaFacility: "750000001");

        var copy = RoundTrip(caller);

        copy.Should().Be(caller);
        copy.Via.Should().Be("lab-software");
        copy.ViaFacility.Should().Be("750000001");
    }

    [Fact]
    public void A_nir_and_an_rpps_arrive_parsed_and_equal()
    {
        RoundTrip(SampleNir).Should().Be(SampleNir);
        RoundTrip(SampleRpps).Should().Be(SampleRpps);
        RoundTrip(new ActivationRequest("ABCD-EFGH", SampleNir, "1234567890", VitaleCardType.WithPhoto, "a@b.fr", "pw", null)).Nir.Should().Be(SampleNir);
    }

    [Fact]
    public void Default_nir_and_rpps_stay_default()
    {
        RoundTrip(default(Nir)).Should().Be(default(Nir));
        RoundTrip(default(Rpps)).Should().Be(default(Rpps));
    }

    [Fact]
    public void A_nir_tampered_with_on_the_wire_is_refused_not_accepted()
    {
        // Same length, wrong key: the bytes still decode, so only the parse on arrival can catch it.
        var bytes = Replace(Serializer.SerializeToArray(SampleNir), SampleNir.Value, SampleNir.Value[..13] + "00");

        var read = () => Serializer.Deserialize<Nir>(bytes);

        read.Should().Throw<Exception>().Where(e => e is FormatException || e.InnerException is FormatException);
    }

    [Fact]
    public void An_rpps_tampered_with_on_the_wire_is_refused_not_accepted()
    {
        var tampered = SampleRpps.Value[..10] + (char)('0' + (SampleRpps.Value[10] - '0' + 1) % 10);
        var bytes = Replace(Serializer.SerializeToArray(SampleRpps), SampleRpps.Value, tampered);

        var read = () => Serializer.Deserialize<Rpps>(bytes);

        read.Should().Throw<Exception>().Where(e => e is FormatException || e.InnerException is FormatException);
    }

    [Fact]
    public void A_domain_exception_arrives_as_itself_with_its_error_and_detail()
    {
        var thrown = Thrown(new DomainException(DomainError.RecipientRefuses, "Dr Martin is blocked by this patient."));

        // A grain's failure travels as an Exception-typed field of the response.
        var received = Serializer.Deserialize<Exception>(Serializer.SerializeToArray<Exception>(thrown));

        var domain = received.Should().BeOfType<DomainException>().Subject;
        domain.Error.Should().Be(DomainError.RecipientRefuses);
        domain.Detail.Should().Be("Dr Martin is blocked by this patient.");
        domain.Message.Should().Be(thrown.Message);
        domain.StackTrace.Should().Contain(nameof(Thrown), "the grain's stack trace helps operators");
    }

    [Fact]
    public void A_domain_exception_without_detail_keeps_a_null_detail_and_the_title_as_message()
    {
        var received = Serializer.Deserialize<Exception>(Serializer.SerializeToArray<Exception>(new DomainException(DomainError.NotFound)));

        var domain = received.Should().BeOfType<DomainException>().Subject;
        domain.Error.Should().Be(DomainError.NotFound);
        domain.Detail.Should().BeNull();
        domain.Message.Should().Be(DomainError.NotFound.Title);
    }

    [Fact]
    public void A_domain_exception_survives_the_deep_copier()
    {
        var original = new DomainException(new DomainError("custom-code", "A custom refusal.", 418), "detail");

        var copy = Copier.Copy(original);

        copy.Should().NotBeSameAs(original);
        copy.Error.Should().Be(original.Error);
        copy.Detail.Should().Be("detail");
        copy.Message.Should().Be("detail");
    }

    [Fact]
    public async Task The_api_turns_a_domain_exception_from_another_silo_into_its_problem_details()
    {
        var received = Serializer.Deserialize<Exception>(Serializer.SerializeToArray<Exception>(
            new DomainException(DomainError.TooManyMessages, "Wait an hour.", TimeSpan.FromSeconds(1234.2))))!;
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        var handler = new DomainExceptionHandler(services.GetRequiredService<IProblemDetailsService>(), NullLogger<DomainExceptionHandler>.Instance);

        (await handler.TryHandleAsync(context, received, CancellationToken.None)).Should().BeTrue();

        context.Response.StatusCode.Should().Be(429);
        context.Response.Headers.RetryAfter.ToString().Should().Be("1235", "the wait travels with the refusal, rounded up to whole seconds");
        context.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(context.Response.Body);
        problem.RootElement.GetProperty("type").GetString().Should().Be(Api.Problems.ErrorResponses.TypePrefix + "too-many-messages");
        problem.RootElement.GetProperty("title").GetString().Should().Be(DomainError.TooManyMessages.Title);
        problem.RootElement.GetProperty("status").GetInt32().Should().Be(429);
        problem.RootElement.GetProperty("detail").GetString().Should().Be("Wait an hour.");
    }

    private static readonly MethodInfo RoundTripTypedMethod =
        typeof(ContractSerializationTests).GetMethod(nameof(RoundTrip), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static T RoundTrip<T>(T value) => Serializer.Deserialize<T>(Serializer.SerializeToArray(value))!;

    private static IEnumerable<Type> ContractTypes() =>
        Contracts.GetExportedTypes().Where(t =>
            t.Namespace?.StartsWith("MonEspaceSante.", StringComparison.Ordinal) == true
            && !t.IsInterface
            && !(t.IsAbstract && t.IsSealed) // static classes hold no data
            && t.GetCustomAttribute<GeneratedCodeAttribute>() is null
            && !StreamHolders.Contains(t));

    private static bool HasRegisteredConverter(Type type) =>
        Contracts.GetTypes().Any(t =>
            t.GetCustomAttribute<RegisterConverterAttribute>() is not null
            && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConverter<,>) && i.GetGenericArguments()[0] == type));

    private static object SampleOf(string typeName) => Samples.Single(s => s.Key.FullName == typeName).Value;

    private static IEnumerable<string> MembersLeftDefault(object sample)
    {
        var type = sample.GetType();
        if (type.IsValueType)
        {
            if (sample.Equals(Activator.CreateInstance(type)))
            {
                yield return $"{type.Name} sample is its default";
            }

            yield break;
        }

        // The serialized members: [Id] on a property, or [property: Id] on a record's parameter.
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<IdAttribute>() is null)
            {
                continue;
            }

            var value = property.GetValue(sample);
            var defaultValue = property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null
                ? Activator.CreateInstance(property.PropertyType)
                : null;
            if (Equals(value, defaultValue))
            {
                yield return $"{type.Name}.{property.Name}";
            }
        }
    }

    private static void AssertSameValue(object? actual, object expected)
    {
        actual.Should().NotBeNull();
        actual!.GetType().Should().Be(expected.GetType());
        if (expected is DomainException domain)
        {
            var other = (DomainException)actual;
            other.Error.Should().Be(domain.Error);
            other.Detail.Should().Be(domain.Detail);
            other.Message.Should().Be(domain.Message);
            other.RetryAfter.Should().Be(domain.RetryAfter);
            return;
        }

        // Records compare by value, but their lists by reference: compare members, and lists by content.
        actual.Should().BeEquivalentTo(expected, o => o.ComparingRecordsByMembers().RespectingRuntimeTypes().WithStrictOrdering());
        if (!HoldsCollection(expected.GetType()))
        {
            actual.Should().Be(expected);
        }
    }

    /// <summary>Whether the type, or a contract type it holds, has a list member (compared by reference by record equality).</summary>
    private static bool HoldsCollection(Type type) =>
        type.GetProperties().Any(p =>
            (p.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(p.PropertyType))
            || (p.PropertyType != type && p.PropertyType.Assembly == Contracts && !p.PropertyType.IsValueType && HoldsCollection(p.PropertyType)));

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        var needle = Encoding.UTF8.GetBytes(from);
        var index = bytes.AsSpan().IndexOf(needle);
        index.Should().BeGreaterThanOrEqualTo(0, "the canonical value travels as its string");
        var result = (byte[])bytes.Clone();
        Encoding.UTF8.GetBytes(to).CopyTo(result, index);
        return result;
    }

    private static Dictionary<Type, object> BuildSamples()
    {
        var author = new DocumentAuthor(AuthorKind.Professional, SampleRpps.Value, "Dr Claire Martin");
        var rights = new AccessRights([DocumentCategory.LabResult, DocumentCategory.Imaging], SeesMasked: true, TreatingDoctor: true, Emergency: true, At.AddDays(30));
        var grant = new ProfessionalGrant(SampleRpps.Value, "Dr Claire Martin", "10", "Médecin", GrantStatus.Blocked,
            new List<DocumentCategory> { DocumentCategory.Vaccination, DocumentCategory.BloodGroupCard }, DefaultCategories: true, At, At.AddDays(7), Expired: true);
        var emergency = new EmergencyAccessInfo(SampleRpps.Value, "Dr Claire Martin", At, At.AddHours(24), "Unconscious patient");
        var historyEntry = new AccessHistoryEntry(Guid.NewGuid(), 42, At, SampleRpps.Value, "Dr Claire Martin", "Médecin", "CHU Nord",
            "lab-software", AccessAction.DownloadDocument, "doc-1", Emergency: true, "Unconscious patient", AccessOutcome.Denied);
        var document = new DocumentInfo(Guid.NewGuid(), "11502-2", DocumentTab.Administrative, DocumentCategory.LabResult, "Bilan sanguin",
            Day, author, "LabSoft 3", DocumentFormat.CdaXml, "application/xml", "bilan.xml", 12345, "ab12cd", DocumentStatus.Superseded,
            Confidentiality.V, MaskedFromProfessionals: true, VisibleToPatient: true, At, HiddenFromGuardians: true, Guid.NewGuid(), Guid.NewGuid(), At);
        var rejection = new ImportRejection(17, "NIR key does not match.");
        var professional = new ProfessionalInfo(SampleRpps.Value, "Martin", "Claire", "10", "Médecin", "Cardiologie", "750000001", "CHU Nord", "Paris");
        var attachment = new AttachmentInfo(2, "scan.png", DocumentFormat.Png, "image/png", 2048, "ef34");
        var summary = new MessageSummary(Guid.NewGuid(), Guid.NewGuid(), MailboxFolder.Archive, "claire.martin@pro.example", "Dr Claire Martin",
            ["jean.dupont@patient.example"], ["lab@pro.example", "other@pro.example"], "Résultats", At, Read: true, 1);
        var space = new SpaceSummary(Guid.NewGuid(), SpaceStatus.Closed, "Dupont", "Jean Pierre", Day, "jean@example.fr", At,
            ActivationMode.Automatic, At.AddYears(1), At.AddYears(11));
        var notification = new ArchivedNotification(Guid.NewGuid(), 3, "activation-code", At, "{\"code\":\"…\"}");
        var healthAuthor = new HealthEntryAuthor(HealthAuthorKind.Professional, SampleRpps.Value, "Claire Martin", "Médecin", "lab-software");
        var allergy = new AllergyItem("Pénicilline", "Urticaire", AllergySeverity.Severe, Day, "Depuis l'enfance");
        var allergyEntry = new HealthEntry<AllergyItem>(Guid.NewGuid(), allergy, healthAuthor, At, At.AddDays(1), 3);
        var wishes = new WishesView(new HealthWishes(OrganDonationChoice.Refuses, "Pas d'acharnement", "Chez mon notaire"), At, 2);

        object[] samples =
        [
            // Access
            GrantStatus.Blocked,
            grant,
            emergency,
            new AccessSettings([grant], SampleRpps.Value, EmergencyAccessOptOut: true, [emergency]),
            new GrantRequest(GrantStatus.Blocked, [DocumentCategory.Prescription], 90),
            rights,
            new PatientSearch(SampleNir.Value, Day, "Dupont", "Jean"),
            new PatientMatch(Guid.NewGuid(), "Dupont", "Jean Pierre", Day, Sex.Female, rights),
            new PatientProfile(Guid.NewGuid(), SampleNir.Value, "Dupont", "Jean Pierre", Day, Sex.Female, SampleRpps.Value, "Dr Claire Martin", rights)
            {
                MailboxAddress = "jean.dupont@patient.example",
            },
            AccessAction.ReleaseDocument,
            AccessOutcome.Denied,
            historyEntry,
            new AccessHistoryFilter(At, At.AddDays(1), SampleRpps.Value, AccessOutcome.Denied, Emergency: true, AccessAction.ReadDocument, 10, 20),
            new AccessHistoryPage([historyEntry, historyEntry with { Sequence = 43 }], 10, 20, 99),
            new HistoryVerification(Intact: true, 1000, 998, "cafebabe"),

            // Documents
            DocumentTab.Administrative,
            DocumentCategory.DisabilityCard,
            author,
            new DocumentDeclaration
            {
                TypeCode = "11502-2",
                Category = DocumentCategory.LabResult,
                Title = "Bilan sanguin",
                ClinicalDate = Day,
                SourceSoftware = "LabSoft 3",
                FileName = "bilan.xml",
                Confidentiality = Confidentiality.R,
                MaskedFromProfessionals = true,
                HiddenFromPatient = true,
                ReleaseAt = At,
                HiddenFromGuardians = true,
                Replaces = Guid.NewGuid(),
                Author = author,
                PatientBirthDate = Day,
            },
            document,
            new DocumentFilter(DocumentTab.Documents, DocumentCategory.Imaging, "18748-4", Day, Day.AddDays(10), AuthorKind.Facility, DocumentStatus.Deleted, 5, 25),
            new DocumentPage([document], 5, 25, 6),
            new DocumentChange("New title", DocumentCategory.Other, "34133-9"),
            new UploadResult(document, Replayed: true),
            new UploadPermit("0f1e2d3c/4b5a6978", "wrapped-data-key"),
            new StoredUpload("0f1e2d3c/4b5a6978", DocumentFormat.FhirJson, 1234, "ab12"),
            new StoredDocument(document, "0f1e2d3c/4b5a6978", "wrapped-data-key", 1234, "ab12"),
            DocumentStatus.Deleted,
            AuthorKind.Facility,
            Confidentiality.V,
            DocumentFormat.FhirJson,

            // Enrolment
            ImportStatus.Failed,
            new ImportProgress(Guid.NewGuid(), ImportStatus.Running, "enrolment.csv", 1000, 500, 490, 10, At, At.AddMinutes(5), "line 17 is invalid"),
            rejection,
            new RejectionPage([rejection, new ImportRejection(18, "Birth date is invalid.")], 18),

            // Errors
            new DomainError("custom-code", "A custom refusal.", 418),
            new DomainException(DomainError.TooManyMessages, "At most 30 messages an hour.", TimeSpan.FromSeconds(1234)),

            // Health profiles
            HealthAuthorKind.Professional,
            healthAuthor,
            allergyEntry,
            new HealthEntryResult<AllergyItem>(allergyEntry, Replayed: true),
            OrganDonationChoice.Refuses,
            wishes.Wishes,
            wishes,
            new HealthProfileView(
                Guid.NewGuid(),
                [new(Guid.NewGuid(), new MedicalHistoryItem(MedicalHistoryKind.Surgery, "Appendicectomie", Day, Day.AddDays(3), "Sans suite"), healthAuthor, At, At, 1)],
                [new(Guid.NewGuid(), new TreatmentItem("Metformine", "500 mg x2", Day, "Au repas"), healthAuthor, At, At, 1)],
                [allergyEntry],
                [new(Guid.NewGuid(), new FamilyHistoryItem("Mère", "Diabète", "Type 2"), healthAuthor, At, At, 1)],
                [new(Guid.NewGuid(), new VaccinationItem("DTCaP", Day, "AB12", "Rappel"), healthAuthor, At, At, 1)],
                [new(Guid.NewGuid(), new MeasurementItem(MeasurementKind.BloodPressure, 128.5m, 82, "mmHg", Day, "Au repos"), healthAuthor, At, At, 1)],
                wishes,
                [new(Guid.NewGuid(), new ContactItem("Jeanne", "Épouse", "0612345678", "Le soir"), healthAuthor, At, At, 1)],
                [new(Guid.NewGuid(), new FollowerItem(SampleRpps.Value, "Claire Martin", "Médecin", "Cardiologue", "Tous les ans"), healthAuthor, At, At, 1)]),
            MedicalHistoryKind.PastTreatment,
            new MedicalHistoryItem(MedicalHistoryKind.Hospitalisation, "Pneumopathie", Day, Day.AddDays(10), "CHU Nord"),
            new TreatmentItem("Lévothyrox", "75 µg", Day, "Le matin"),
            AllergySeverity.Severe,
            allergy,
            new FamilyHistoryItem("Père", "Infarctus", "À 55 ans"),
            new VaccinationItem("ROR", Day, "LOT1", "Deuxième dose"),
            MeasurementKind.OxygenSaturation,
            new MeasurementItem(MeasurementKind.BloodPressure, 130, 85, "mmHg", Day, "Assis"),
            new ContactItem("Paul", "Frère", "+33 6 00 00 00 00", "Prévenir en premier"),
            new FollowerItem(SampleRpps.Value, "Claire Martin", "Médecin", "Médecin traitant", "Depuis 2020"),
            HealthProfileAction.Change,
            new HealthProfileAccess(healthAuthor, Holder: true, Emergency: true, "Jean Dupont", Day),

            // Identity
            Caller.Professional(SampleRpps, "lab-software", "750000001"),
            CallerKind.Professional,
            SampleNir,
            SampleRpps,

            // Messaging
            MailboxKind.Professional,
            MailboxFolder.Archive,
            new MailboxInfo("claire.martin@pro.example", MailboxKind.Professional, "Dr Claire Martin", 3),
            new OutgoingMessage(["jean.dupont@patient.example"], "copy@patient.example", "Résultats", "Bonjour", Guid.NewGuid()),
            attachment,
            new SendResult(Guid.NewGuid(), Guid.NewGuid(), At, new List<string> { "jean.dupont@patient.example" }),
            summary,
            new MessageDetail(summary, "Bonjour, voici vos résultats.", [attachment]),
            new MessageFilter(MailboxFolder.Sent, Unread: true, "résultats", "claire.martin@pro.example", 5, 25),
            new MessagePage([summary], 5, 25, 6),
            new SaveAttachmentRequest(DocumentCategory.Imaging, "Scanner"),
            new AttachmentDeclaration("scan.png", 2048),
            new SendPermit(Guid.NewGuid(), ["0f1e2d3c/1", "0f1e2d3c/2"]),
            new SentAttachment("scan.png", DocumentFormat.Png, 2048, "ef34", "0f1e2d3c/1", "wrapped-message-key"),
            new StoredAttachmentRef(Guid.NewGuid(), attachment, "0f1e2d3c/1", "wrapped-message-key"),
            new AttachmentToSave(new StoredAttachmentRef(Guid.NewGuid(), attachment, "0f1e2d3c/2", "wrapped"), Guid.NewGuid(), new DocumentDeclaration { Category = DocumentCategory.Imaging, Title = "Scanner" }),
            new MessagingView(SpaceStatus.Active, "Jean Dupont", SenderBlocked: true),

            // Professionals
            professional,
            new ProfessionalQuery("Mart", "10", "Par", 20, 40),
            new ProfessionalPage([professional], 20, 40, 41),
            new ProfessionalImportResult(1000, 900, 50, 80, 20, [rejection]),

            // Spaces
            new ActivationRequest("ABCD-EFGH", SampleNir, "1234567890", VitaleCardType.WithPhoto, "jean@example.fr", "correct horse battery", "203.0.113.7"),
            new OppositionRequest("ABCD-EFGH", SampleNir, "203.0.113.7"),
            new OppositionResult("OPP-2025-0001", At, "proof"),
            new NewCodeRequest(SampleNir, "1234567890", Day),
            new GuardianshipClaim(SampleNir, "1234567890", VitaleCardType.WithPhoto, Day, ParentalAuthority: true),
            new ChildSpace(Guid.NewGuid(), "Léa", "Martin", Day, Day.AddYears(18), OfAge: true, At),
            new FeedItem(Guid.NewGuid(), 7, "document.added", "{\"documentId\":\"x\"}", At),
            new GuardianFeedPage([new FeedItem(Guid.NewGuid(), 7, "document.added", "{}", At)], 9),
            new LoginChallenge(Guid.NewGuid(), At),
            new SessionGrant(Guid.NewGuid(), At, "token") { DeviceToken = "device" },
            new EmailChangeChallenge(Guid.NewGuid(), At),
            new AlertPreferences(Messages: true, Documents: true),
            space,
            new SpaceArchive(space, SampleNir.Value, "1 rue de la Paix, Paris", Day, [notification], At),
            notification,
            SpaceStatus.Closed,
            Sex.Female,
            VitaleCardType.WithPhoto,
            ActivationMode.Automatic,
        ];

        return samples.ToDictionary(s => s.GetType());
    }
}
