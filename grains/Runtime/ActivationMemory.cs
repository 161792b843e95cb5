namespace MonEspaceSante.Runtime;

/// <summary>
/// What one grain activation remembers besides its state: copies of rows only this grain writes
/// (its access history's head), so a call can skip reading them back. Never the truth: each use
/// is checked by the statement that relies on it, and a copy found stale costs one read. Lost
/// with the activation, and nothing in it is persisted.
/// </summary>
public sealed class ActivationMemory
{
    private readonly Dictionary<Type, object> items = [];

    /// <summary>This activation's instance of <typeparamref name="T"/>, created on first use.</summary>
    public T Get<T>()
        where T : class, new()
    {
        if (!items.TryGetValue(typeof(T), out var item))
        {
            item = new T();
            items[typeof(T)] = item;
        }

        return (T)item;
    }

    /// <summary>Forgets everything, as when the state is reloaded after a lost race.</summary>
    public void Clear() => items.Clear();
}
