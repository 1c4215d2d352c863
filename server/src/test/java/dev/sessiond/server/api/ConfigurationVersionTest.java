package dev.sessiond.server.api;

import static dev.sessiond.server.testing.Errors.assertError;
import static dev.sessiond.server.testing.TestServer.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sessiond.proto.v1.IncrementConfigurationVersionRequest;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.server.SessiondServer;
import dev.sessiond.server.testing.TestServer;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationVersionTest {

    @TempDir
    Path dir;

    TestServer sessiond;

    @BeforeEach
    void start() {
        sessiond = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        sessiond.close();
    }

    private long increment(String token) {
        return as(token, sessiond.client())
                .incrementConfigurationVersion(IncrementConfigurationVersionRequest.getDefaultInstance())
                .getConfigurationVersion();
    }

    @Test
    void increment_raisesTheVersionByOneAndOpenAndValidateReportIt() {
        String admin = sessiond.adminToken();
        assertThat(sessiond.login("admin", TestServer.ADMIN_PASSWORD, "cli").getConfigurationVersion()).isZero();

        assertThat(increment(admin)).isEqualTo(1);
        assertThat(increment(admin)).isEqualTo(2);

        assertThat(sessiond.login("admin", TestServer.ADMIN_PASSWORD, "cli").getConfigurationVersion()).isEqualTo(2);
        assertThat(as(admin, sessiond.server()).validateAndGetSession(ValidateAndGetSessionRequest.newBuilder()
                .setToken(admin).build()).getConfigurationVersion()).isEqualTo(2);
        String platform = sessiond.database().withHandle(h -> h.createQuery(
                "SELECT platform_version FROM configuration WHERE id = 1").mapTo(String.class).one());
        assertThat(platform).isEqualTo(SessiondServer.version());
        List<String> details = sessiond.database().withHandle(h -> h.createQuery(
                "SELECT detail FROM session_events WHERE kind = 'CONFIGURATION_VERSION_INCREMENTED' ORDER BY id")
                .mapTo(String.class).list());
        assertThat(details).hasSize(2).allMatch(d -> d.contains("platform " + SessiondServer.version()));
        assertThat(details.get(1)).startsWith("version 2");
    }

    @Test
    void increment_isForAdministratorsOnly() {
        assertError(() -> increment(sessiond.serviceToken()), Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
        assertError(() -> sessiond.client().incrementConfigurationVersion(
                IncrementConfigurationVersionRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED, "TOKEN_MALFORMED");
        assertThat(increment(sessiond.adminToken())).isEqualTo(1);
    }
}
