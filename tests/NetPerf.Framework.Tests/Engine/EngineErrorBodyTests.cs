using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Engine;

public class EngineErrorBodyTests
{
    [Fact]
    public void The_message_of_a_json_error_body_is_extracted() =>
        Assert.Equal("No such image: nope:1", EngineErrorBody.Parse("{\"message\":\"No such image: nope:1\"}\n", 404));

    [Fact]
    public void A_plain_text_body_is_quoted_trimmed() =>
        Assert.Equal("page not found", EngineErrorBody.Parse("  page not found\n", 404));

    [Fact]
    public void Json_without_a_message_is_quoted_raw() =>
        Assert.Equal("{\"error\":\"x\"}", EngineErrorBody.Parse("{\"error\":\"x\"}", 500));

    [Fact]
    public void Broken_json_is_quoted_raw() =>
        Assert.Equal("{\"message\":", EngineErrorBody.Parse("{\"message\":", 500));

    [Fact]
    public void An_empty_body_names_the_status() =>
        Assert.Equal("the engine sent HTTP 502 with an empty body", EngineErrorBody.Parse("", 502));

    [Fact]
    public void A_long_raw_body_is_shortened()
    {
        string parsed = EngineErrorBody.Parse(new string('a', 5000), 500);

        Assert.Equal(2003, parsed.Length);
        Assert.EndsWith("...", parsed, StringComparison.Ordinal);
    }

    [Fact]
    public void EngineException_message_names_operation_status_and_engine_text()
    {
        var e = new EngineException("POST /containers/create (container 'x')", System.Net.HttpStatusCode.NotFound, "No such image: nope:1");

        Assert.Equal("Container engine call POST /containers/create (container 'x') failed with HTTP 404: No such image: nope:1", e.Message);
    }
}
