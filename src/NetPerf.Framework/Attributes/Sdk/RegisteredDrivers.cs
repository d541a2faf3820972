using System.Reflection;
using NetPerf.Testbeds.Drivers;

namespace NetPerf.Sdk;

/// <summary>The drivers a test assembly can use: the built-in ones and those of its <see cref="RegisterDriverAttribute"/>s.</summary>
internal static class RegisteredDrivers
{
    /// <summary>The registry of an assembly, and every registration that could not be used.</summary>
    /// <param name="assembly">The assembly that declares the scenario.</param>
    /// <returns>The registry (working registrations only) and one sentence per broken registration, saying the fix.</returns>
    public static (DriverRegistry Registry, IReadOnlyList<string> Problems) For(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return From(assembly.GetCustomAttributes<RegisterDriverAttribute>());
    }

    /// <summary>The registry of a set of registrations; sorted by type name so messages and order do not depend on reflection.</summary>
    internal static (DriverRegistry Registry, IReadOnlyList<string> Problems) From(IEnumerable<RegisterDriverAttribute> registrations)
    {
        var registry = DriverRegistry.BuiltIn;
        var problems = new List<string>();
        foreach (var registration in registrations.OrderBy(r => r.DriverType?.FullName, StringComparer.Ordinal))
        {
            var type = registration.DriverType;
            if (type is null)
            {
                problems.Add("[assembly: RegisterDriver(null)] names no type; pass typeof(YourDriver) or remove the registration");
                continue;
            }

            var declared = $"[assembly: RegisterDriver(typeof({type.Name}))]";
            if (!typeof(INetworkDriver).IsAssignableFrom(type) || type.IsAbstract || type.IsInterface)
            {
                problems.Add($"{declared} names '{type.FullName}', which is not a class implementing '{nameof(INetworkDriver)}'; implement Name, Check and CreateAsync in a non-abstract class, or remove the registration");
                continue;
            }

            if (type.GetConstructor(Type.EmptyTypes) is not { IsPublic: true })
            {
                problems.Add($"{declared} names '{type.FullName}', which has no public parameterless constructor; add one (NetPerf creates the driver itself)");
                continue;
            }

            try
            {
                registry = registry.With((INetworkDriver)Activator.CreateInstance(type)!);
            }
            catch (TargetInvocationException e) when (e.InnerException is { } inner)
            {
                problems.Add($"{declared}: creating '{type.FullName}' threw {inner.GetType().Name}: {inner.Message}; make its constructor succeed");
            }
            catch (ArgumentException e)
            {
                problems.Add($"{declared}: {e.Message.Replace(" (Parameter 'driver')", string.Empty, StringComparison.Ordinal)}");
            }
        }

        return (registry, problems);
    }
}
