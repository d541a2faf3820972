// Author-facing, so in namespace NetPerf rather than NetPerf.Attributes (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>Marks a method's cells as part of the full-scale suite: explicit, so they run only when asked for.</summary>
/// <remarks>
/// Cells get the trait <c>scale=full</c> instead of <c>scale=ci</c> and are explicit: a plain <c>dotnet test</c> lists
/// but does not run them; run them with <c>-- --explicit on</c> (everything) or <c>-- --explicit only</c>, typically
/// with <c>--filter-trait "scale=full"</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class FullScaleAttribute : Attribute;
