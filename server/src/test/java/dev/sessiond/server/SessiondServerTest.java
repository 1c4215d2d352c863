package dev.sessiond.server;

import static dev.sessiond.server.testing.Errors.assertError;
import static dev.sessiond.server.testing.TestServer.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sessiond.proto.v1.ListUsersRequest;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.server.testing.TestServer;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessiondServerTest {

    @TempDir
    Path dir;

    @Test
    void health_reportsEveryServiceServing() {
        try (TestServer sessiond = TestServer.start(dir)) {
            var health = HealthGrpc.newBlockingStub(sessiond.channel());
            for (String service : List.of("", "sessiond.v1.SessionClientService", "sessiond.v1.SessionServerService",
                    "sessiond.v1.SessionDirectoryService", "sessiond.v1.UserAdminService")) {
                assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
                        .as(service).isEqualTo(ServingStatus.SERVING);
            }
        }
    }

    @Test
    void reflection_listsTheContract() throws Exception {
        try (TestServer sessiond = TestServer.start(dir)) {
            CompletableFuture<List<String>> services = new CompletableFuture<>();
            var call = ServerReflectionGrpc.newStub(sessiond.channel()).serverReflectionInfo(new StreamObserver<>() {
                @Override
                public void onNext(ServerReflectionResponse response) {
                    services.complete(response.getListServicesResponse().getServiceList().stream()
                            .map(ServiceResponse::getName).toList());
                }

                @Override
                public void onError(Throwable t) {
                    services.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {}
            });
            call.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
            call.onCompleted();

            assertThat(services.get(10, TimeUnit.SECONDS)).contains(
                    "sessiond.v1.SessionClientService", "sessiond.v1.SessionServerService",
                    "sessiond.v1.SessionDirectoryService", "sessiond.v1.UserAdminService",
                    "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
                    "grpc.reflection.v1alpha.ServerReflection");
        }
    }

    @Test
    void firstStart_createsTheAdministratorWithAGeneratedPasswordPrintedOnce() throws Exception {
        Path keyFile;
        String password;
        String dbUrl = "jdbc:h2:file:" + dir.resolve("data/sessiond");
        Map<String, String> settings = Map.of("SESSIOND_ADMIN_PASSWORD", "", "SESSIOND_DB_URL", dbUrl,
                "SESSIOND_ADMIN_LOGIN", "root");
        try (TestServer first = TestServer.start(dir, settings)) {
            Matcher m = Pattern.compile("administrator 'root' with generated password: (\\S+)").matcher(first.stderr());
            assertThat(m.find()).as("stderr: %s", first.stderr()).isTrue();
            password = m.group(1);
            assertThat(password).hasSizeGreaterThanOrEqualTo(16);
            String token = first.login("root", password, "cli").getToken();
            assertThat(as(token, first.users()).listUsers(ListUsersRequest.getDefaultInstance()).getUsers(0).getIsAdmin())
                    .isTrue();
            keyFile = first.config.tokenKeyFile();
        }
        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (TestServer second = TestServer.start(dir, settings)) {
            assertThat(second.stderr()).as("the password is printed only on first start").isEmpty();
            assertThat(second.login("root", password, "cli").getToken()).isNotEmpty();
        }
    }

    @Test
    void shutdown_writesRememberedActivity() {
        String dbUrl = "jdbc:h2:file:" + dir.resolve("data/sessiond");
        Map<String, String> settings = Map.of("SESSIOND_DB_URL", dbUrl, "SESSIOND_SESSION_IDLE_TIMEOUT", "10h",
                "SESSIOND_ACTIVITY_WRITE_INTERVAL", "1h");
        String id;
        long validatedAt;
        try (TestServer sessiond = TestServer.start(dir, settings)) {
            var opened = sessiond.login("admin", TestServer.ADMIN_PASSWORD, "web-client");
            id = opened.getSession().getId();
            sessiond.clock.advance(Duration.ofMinutes(5));
            as(opened.getToken(), sessiond.server()).validateAndGetSession(
                    ValidateAndGetSessionRequest.newBuilder().setToken(opened.getToken()).build());
            validatedAt = sessiond.clock.millis();
        }
        var db = Jdbi.create(dbUrl, "", "");
        long stored = db.withHandle(h -> h.createQuery("SELECT last_activity_ms FROM sessions WHERE id = :id")
                .bind("id", UUID.fromString(id)).mapTo(Long.class).one());
        assertThat(stored).isEqualTo(validatedAt);
    }

    @Test
    void anonymousCalls_toProtectedRpcs_areUnauthenticated() {
        try (TestServer sessiond = TestServer.start(dir)) {
            assertError(() -> sessiond.users().listUsers(ListUsersRequest.getDefaultInstance()),
                    Status.Code.UNAUTHENTICATED, "TOKEN_MALFORMED");
        }
    }
}
