using System.Net;
using MonEspaceSante.Access;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Notifications;

/// <summary>Refused attempts are all kept in the history but notified once per professional per hour.</summary>
public sealed class DeniedAttemptGroupingTests : AccessTestBase
{
    private static async Task<int> DeniedNotificationsAsync(HttpClient patient) =>
        (await NotificationsAsync(patient)).Count(n => n.GetProperty("kind").GetString() == AccessGate.DeniedKind);

    [Fact]
    public async Task Repeated_refusals_are_grouped_per_professional_and_hour_and_all_stay_in_the_history()
    {
        await AddProfessionalsAsync(Physician, OtherPhysician);
        var (person, patient) = await ActivePatientAsync();
        using (var pro = await ProAsync(Physician))
        {
            for (var i = 0; i < 4; i++)
            {
                (await FindAsync(pro, person)).StatusCode.Should().Be(HttpStatusCode.NotFound);
            }
        }

        (await DeniedNotificationsAsync(patient)).Should().Be(1);
        (await HistoryAsync(patient)).Items.Count(e => e.Outcome == AccessOutcome.Denied && e.Rpps == Physician.Rpps).Should().Be(4);

        using (var other = await ProAsync(OtherPhysician))
        {
            (await FindAsync(other, person)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        (await DeniedNotificationsAsync(patient)).Should().Be(2, "another professional's refusal is news");

        Silo.Clock.Advance(TimeSpan.FromMinutes(61));
        patient.Dispose();
        patient = await LoginAsync(person.Email!);
        using (var pro = await ProAsync(Physician))
        {
            (await FindAsync(pro, person)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        }

        (await DeniedNotificationsAsync(patient)).Should().Be(3, "a new hour, a new notification");
        patient.Dispose();
    }
}
