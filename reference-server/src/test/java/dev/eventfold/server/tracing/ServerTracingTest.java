package dev.eventfold.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ServerTracingTest {

    @Test
    void the_traces_url_is_the_endpoint_with_the_otlp_path_unless_it_names_one() {
        assertThat(ServerTracing.tracesEndpoint(URI.create("http://collector:4318")))
                .hasToString("http://collector:4318/v1/traces");
        assertThat(ServerTracing.tracesEndpoint(URI.create("http://collector:4318/")))
                .hasToString("http://collector:4318/v1/traces");
        assertThat(ServerTracing.tracesEndpoint(URI.create("https://c.example/otlp/v1/traces")))
                .hasToString("https://c.example/otlp/v1/traces");
    }
}
