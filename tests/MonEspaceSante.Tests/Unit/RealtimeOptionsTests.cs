using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MonEspaceSante.Api.Realtime;

namespace MonEspaceSante.Tests.Unit;

/// <summary>Settings that would stop the relay's or the leases' timers, or deliver nothing, are refused when the silo starts.</summary>
public sealed class RealtimeOptionsTests
{
    private static RealtimeOptions Load(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create($"Realtime:{s.Key}", (string?)s.Value))).Build();
        using var provider = new ServiceCollection().AddLogging().AddMonEspaceSanteRealtime(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<RealtimeOptions>>().Value;
    }

    [Fact]
    public void The_defaults_and_sound_settings_load()
    {
        Load().LiveLease.Should().Be(TimeSpan.FromMinutes(2));
        Load(("LiveLease", "00:00:30"), ("PollInterval", "00:00:00.400"), ("ConnectionBuffer", "2")).LiveLease.Should().Be(TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData("LiveLease", "00:00:00", "LiveLease")]
    [InlineData("LiveLease", "00:00:02", "LiveLease")]
    [InlineData("PollInterval", "00:00:00", "PollInterval")]
    [InlineData("BatchSize", "0", "BatchSize")]
    [InlineData("ConnectionBuffer", "-1", "ConnectionBuffer")]
    [InlineData("StreamHeartbeat", "-00:00:01", "StreamHeartbeat")]
    public void A_setting_that_would_stop_a_timer_or_deliver_nothing_is_refused(string key, string value, string named)
    {
        var load = () => Load((key, value));
        load.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain($"Realtime:{named}");
        new RealtimeOptions().Problem().Should().BeNull();
        var options = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create(key, (string?)value)]).Build().Get<RealtimeOptions>()!;
        options.Problem().Should().Contain($"Realtime:{named}");
    }
}
