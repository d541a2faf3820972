using NetPerf.Plan;

// Author-facing, so in namespace NetPerf rather than NetPerf.Attributes (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>The numbers of CPU cores the containers may use (the container-to-core ratio); one cell per number.</summary>
/// <remarks>Use with <see cref="DriverTheoryAttribute"/> and an <c>int cores</c> parameter: <c>[Cores(1, 2)]</c>.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class CoresAttribute : Attribute, IAxisAttribute
{
    /// <summary>Declares the core counts.</summary>
    /// <param name="cores">The counts, each 1 or more.</param>
    public CoresAttribute(params int[] cores) => Cores = cores ?? [];

    /// <summary>The declared core counts.</summary>
    public IReadOnlyList<int> Cores { get; }

    /// <inheritdoc />
    public AxisValues ToAxisValues() => AxisValues.Of(Axis.Cores, Cores);
}
