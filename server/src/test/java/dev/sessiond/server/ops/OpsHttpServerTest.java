package dev.sessiond.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessiond.server.testing.Http;
import dev.sessiond.server.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operators' HTTP port beside /metrics: liveness, readiness, and nothing else. */
class OpsHttpServerTest {

    @TempDir
    Path dir;

    @Test
    void healthzAndReadyz_reportAServingServer() {
        try (TestServer sessiond = TestServer.start(dir)) {
            Http.Response live = Http.get(sessiond.metricsPort(), "/healthz");
            Http.Response ready = Http.get(sessiond.metricsPort(), "/readyz");

            assertThat(live.status()).isEqualTo(200);
            assertThat(live.body()).isEqualTo("ok\n");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("ready: serving\n");
        }
    }

    @Test
    void metrics_speakPrometheusTextOrOpenMetrics_asAsked() {
        try (TestServer sessiond = TestServer.start(dir)) {
            Http.Response text = Http.get(sessiond.metricsPort(), "/metrics");
            Http.Response openMetrics = Http.request("GET", sessiond.metricsPort(), "/metrics",
                    Map.of("Accept", "application/openmetrics-text; version=1.0.0"));

            assertThat(text.contentType()).startsWith("text/plain; version=0.0.4");
            assertThat(text.body()).contains("# TYPE sessiond_session_opens_total counter");
            assertThat(openMetrics.contentType()).startsWith("application/openmetrics-text");
            assertThat(openMetrics.body()).endsWith("# EOF\n");
        }
    }

    @Test
    void otherPathsAndMethods_areRefused() {
        try (TestServer sessiond = TestServer.start(dir)) {
            assertThat(Http.get(sessiond.metricsPort(), "/").status()).isEqualTo(404);
            assertThat(Http.get(sessiond.metricsPort(), "/metrics/extra").status()).isEqualTo(404);
            assertThat(Http.request("POST", sessiond.metricsPort(), "/readyz", Map.of()).status()).isEqualTo(405);
            assertThat(Http.request("HEAD", sessiond.metricsPort(), "/healthz", Map.of()).status()).isEqualTo(200);
        }
    }
}
