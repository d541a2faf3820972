namespace NetPerf.Scenarios; public class Placeholder { [Xunit.Fact] public void Runs() => Xunit.Assert.True(true); }
