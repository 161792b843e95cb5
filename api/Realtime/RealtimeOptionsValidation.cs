using Microsoft.Extensions.Options;

namespace MonEspaceSante.Api.Realtime;

/// <summary>Refuses <see cref="RealtimeOptions"/> that would stop a timer or deliver nothing, naming the setting.</summary>
public sealed class RealtimeOptionsValidation : IValidateOptions<RealtimeOptions>
{
    public ValidateOptionsResult Validate(string? name, RealtimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
