using Orleans;
using MonEspaceSante.Errors;
using MonEspaceSante.Identity;
using MonEspaceSante.Spaces;
using MonEspaceSante.Tests.Infrastructure;

namespace MonEspaceSante.Tests.Lifecycle;

/// <summary>
/// Two silo hosts on one database, one Orleans cluster. Silo B's clock runs a second behind
/// silo A's, as real clocks do, so at the deadline A's scheduler sees the code expired while B
/// still accepts it: the space's single activation, wherever it lives, orders the three calls,
/// and exactly one outcome must win.
/// </summary>
public sealed class TwoSiloRaceTests : SpaceTestBase
{
    [Fact]
    public async Task Automatic_activation_manual_activation_and_opposition_racing_on_two_silos_give_exactly_one_outcome()
    {
        var people = Enumerable.Range(0, 24).Select(_ => NewPerson()).ToList();
        await EnrolAsync([.. people]);
        var codes = people.ToDictionary(p => p.Nir, CodeOf);

        await using var siloB = new SiloFactory(ConnectionString, Path.Combine(DataPath, "..", "silo-b"), new ManualTimeProvider(Silo.Clock.GetUtcNow()));
        Silo.Clock.Advance(TimeSpan.FromDays(42));                            // A: exactly at the deadline
        siloB.Clock.Advance(TimeSpan.FromDays(42) - TimeSpan.FromSeconds(1)); // B: one second before it

        var accountsB = siloB.Get<AccountService>();
        var outcomes = await Task.WhenAll(people.Select(async person =>
        {
            var nir = Nir.Parse(person.Nir);
            var id = (await Silo.Get<SpaceDirectory>().FindByNirAsync(nir))!.Value;
            var auto = Task.Run(() => Silo.Get<IGrainFactory>().GetPatientSpace(id).AutoActivateAsync());
            var manual = Task.Run(async () =>
            {
                try
                {
                    await accountsB.ActivateAsync(new ActivationRequest(codes[person.Nir], nir, person.VitaleSerial,
                        person.CardType == "with_photo" ? VitaleCardType.WithPhoto : VitaleCardType.WithoutPhoto, person.Email!, Password, null));
                    return true;
                }
                catch (DomainException)
                {
                    return false;
                }
            });
            var opposition = Task.Run(async () =>
            {
                try
                {
                    await accountsB.OpposeAsync(new OppositionRequest(codes[person.Nir], nir, null));
                    return true;
                }
                catch (DomainException)
                {
                    return false;
                }
            });
            return (Person: person, Id: id, Auto: await auto, Manual: await manual, Opposed: await opposition);
        }));

        foreach (var outcome in outcomes)
        {
            new[] { outcome.Auto, outcome.Manual, outcome.Opposed }.Count(won => won).Should().Be(1, $"exactly one action wins for {outcome.Id}");
            var state = (await Silo.SpaceStateAsync(outcome.Id))!;
            if (outcome.Opposed)
            {
                state.Status.Should().Be(SpaceStatus.Opposed);
                state.ActivatedAt.Should().BeNull();
            }
            else
            {
                state.Status.Should().Be(SpaceStatus.Active);
                state.ActivationMode.Should().Be(outcome.Auto ? ActivationMode.Automatic : ActivationMode.ByPatient);
                state.OpposedAt.Should().BeNull();
            }

            var feed = await MonEspaceSante.Notifications.FeedWriter.ReadAsync(Silo.Get<MonEspaceSante.Storage.IDatabase>(), outcome.Id.ToString(), 0, 100);
            feed.Count(f => f.Kind == "account.activated").Should().Be(outcome.Opposed ? 0 : 1);
        }
    }
}
