using System.Collections.Immutable;

namespace NetPerf.Testbeds.Drivers;

/// <summary>The network drivers a run knows by name: the built-in ones and those a test assembly registers.</summary>
/// <remarks>
/// Immutable: <see cref="With"/> returns a new registry. <see cref="BuiltIn"/> holds NetPerf's drivers (adding one is one
/// line there); a test assembly's registry adds the drivers of its <c>[assembly: RegisterDriver(typeof(...))]</c>
/// attributes. Names are compared exactly (case-sensitive), as they appear in cell ids and baseline paths.
/// </remarks>
internal sealed class DriverRegistry
{
    private readonly ImmutableList<INetworkDriver> _drivers;

    private DriverRegistry(ImmutableList<INetworkDriver> drivers) => _drivers = drivers;

    /// <summary>NetPerf's own drivers, one per value of <see cref="Driver"/>, in enum order.</summary>
    public static DriverRegistry BuiltIn { get; } = new(
    [
        new HostDriver(),
        new BridgeDriver(),
        new MacvlanDriver(),
        new OvsDriver(),
        new OverlayDriver(),
        new NoneDriver(),
        new ContainerDriver(),
        new IpvlanDriver(),
        new BridgeNatDriver(),
    ]);

    /// <summary>Every driver, built-in ones first, then registered ones in registration order.</summary>
    public IReadOnlyList<INetworkDriver> All => _drivers;

    /// <summary>The names of <see cref="All"/>, in the same order.</summary>
    public IReadOnlyList<string> Names => [.. _drivers.Select(d => d.Name)];

    /// <summary>True when a driver has this name; built-in drivers have the names of <see cref="Driver"/>'s values.</summary>
    /// <param name="name">The name.</param>
    /// <returns>True when <see cref="TryGet"/> finds it.</returns>
    public bool IsBuiltIn(string name) => BuiltIn.TryGet(name, out _);

    /// <summary>A registry with one more driver.</summary>
    /// <param name="driver">The driver; its <see cref="INetworkDriver.Name"/> must be valid and not taken.</param>
    /// <returns>A new registry.</returns>
    /// <exception cref="ArgumentException">The name is empty, has characters a cell id or file name cannot hold, or is taken.</exception>
    public DriverRegistry With(INetworkDriver driver)
    {
        ArgumentNullException.ThrowIfNull(driver);
        var name = driver.Name;
        var type = driver.GetType().Name;
        if (NameProblem(name) is { } problem)
            throw new ArgumentException($"The driver '{type}' has the name '{name}', which {problem}.", nameof(driver));
        if (_drivers.FirstOrDefault(d => d.Name == name) is { } taken)
        {
            var owner = IsBuiltIn(name) ? "a built-in driver" : $"the driver '{taken.GetType().Name}'";
            throw new ArgumentException($"The driver '{type}' has the name '{name}', which {owner} already has; give '{type}' another name.", nameof(driver));
        }

        return new DriverRegistry(_drivers.Add(driver));
    }

    /// <summary>The driver with this name.</summary>
    /// <param name="name">The name, e.g. <c>Bridge</c>.</param>
    /// <param name="driver">The driver, when found.</param>
    /// <returns>True when found.</returns>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out INetworkDriver? driver)
    {
        driver = _drivers.FirstOrDefault(d => d.Name == name);
        return driver is not null;
    }

    /// <summary>The implementation of a built-in driver.</summary>
    /// <param name="driver">The driver.</param>
    /// <returns>Its implementation.</returns>
    public INetworkDriver Get(Driver driver) => Get(driver.ToString());

    /// <summary>The driver with this name.</summary>
    /// <param name="name">The name, e.g. <c>Bridge</c> or the name of a registered driver.</param>
    /// <returns>The driver.</returns>
    /// <exception cref="ArgumentException">No driver has the name; the message lists the known names.</exception>
    public INetworkDriver Get(string name) => TryGet(name, out var driver)
        ? driver
        : throw new ArgumentException(UnknownNameMessage(name) + ".", nameof(name));

    /// <summary>Why a name is unknown, the closest known name and how to register a driver; reads as a sentence.</summary>
    /// <param name="name">The unknown name.</param>
    /// <returns>The message.</returns>
    public string UnknownNameMessage(string name)
    {
        var near = _drivers.Select(d => d.Name).FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase) || Distance(n, name) <= 2);
        var hint = near is null ? string.Empty : $" (did you mean '{near}'?)";
        return $"'{name}' is not a known driver{hint}; known drivers: {string.Join(", ", Names)}; a driver of your own needs [assembly: RegisterDriver(typeof(YourDriver))] in the test assembly";
    }

    /// <summary>Why a text cannot be a driver name, or null when it can.</summary>
    internal static string? NameProblem(string? name) =>
        string.IsNullOrEmpty(name) ? "is empty; give the driver a name of letters and digits"
        : name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && char.IsAsciiLetter(name[0]) ? null
        : "is not letters, digits, '-', '_' and '.' starting with a letter (it appears in cell ids, traits and baseline file names); rename it";

    // Levenshtein distance, for the "did you mean" hint only.
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
