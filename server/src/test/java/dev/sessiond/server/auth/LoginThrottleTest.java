package dev.sessiond.server.auth;

import static dev.sessiond.server.testing.Errors.assertError;
import static dev.sessiond.server.testing.Errors.errorInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import dev.sessiond.proto.v1.LicenseType;
import dev.sessiond.server.testing.TestServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Login throttling of SPEC §6, exact under parallel attempts. */
class LoginThrottleTest {

    @TempDir
    Path dir;

    TestServer sessiond;

    @BeforeEach
    void start() {
        sessiond = TestServer.start(dir, Map.of("SESSIOND_LOGIN_MAX_FAILURES", "5", "SESSIOND_LOGIN_LOCKOUT", "15m"));
        sessiond.createUser("alice", "right-password", LicenseType.LICENSE_TYPE_PERSONAL);
    }

    @AfterEach
    void stop() {
        sessiond.close();
    }

    private int storedFailures(String loginKey) {
        return sessiond.database().withHandle(h -> h.createQuery("SELECT failures FROM login_throttle WHERE login_key = :k")
                .bind("k", loginKey).mapTo(Integer.class).one());
    }

    private static Duration retryDelay(StatusRuntimeException e) throws InvalidProtocolBufferException {
        var details = StatusProto.fromThrowable(e).getDetailsList();
        for (var any : details) {
            if (any.is(RetryInfo.class)) {
                var delay = any.unpack(RetryInfo.class).getRetryDelay();
                return Duration.ofSeconds(delay.getSeconds(), delay.getNanos());
            }
        }
        throw new AssertionError("no RetryInfo in " + e.getStatus());
    }

    @Test
    void parallelWrongPasswords_countAtMostTheThresholdThenTheRightPasswordIsRefused() throws Exception {
        int attempts = 60;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        List<Future<String>> reasons = new ArrayList<>();
        try {
            for (int i = 0; i < attempts; i++) {
                reasons.add(pool.submit(() -> {
                    go.await();
                    try {
                        sessiond.login("alice", "wrong-password", "web-client");
                        return "OK";
                    } catch (StatusRuntimeException e) {
                        return errorInfo(e).getReason();
                    }
                }));
            }
            go.countDown();
            int invalid = 0;
            int throttled = 0;
            for (Future<String> reason : reasons) {
                switch (reason.get(60, TimeUnit.SECONDS)) {
                    case "INVALID_CREDENTIALS" -> invalid++;
                    case "LOGIN_THROTTLED" -> throttled++;
                    default -> throw new AssertionError("unexpected answer " + reason.get());
                }
            }
            assertThat(invalid).as("failures counted").isEqualTo(5);
            assertThat(throttled).isEqualTo(55);
        } finally {
            pool.shutdownNow();
        }
        assertThat(storedFailures("alice")).isEqualTo(5);

        StatusRuntimeException refused = catchThrowableOfType(
                StatusRuntimeException.class, () -> sessiond.login("alice", "right-password", "web-client"));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(errorInfo(refused).getReason()).isEqualTo("LOGIN_THROTTLED");
        assertThat(retryDelay(refused)).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(15));

        sessiond.clock.advance(Duration.ofMinutes(14));
        assertError(() -> sessiond.login("alice", "right-password", "web-client"),
                Status.Code.RESOURCE_EXHAUSTED, "LOGIN_THROTTLED");
        sessiond.clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(sessiond.login("alice", "right-password", "web-client").getToken()).isNotEmpty();
    }

    @Test
    void failures_areCountedPerLoginWithoutRegardToCase() {
        for (String login : List.of("alice", "ALICE", "Alice", "aLiCe")) {
            assertError(() -> sessiond.login(login, "nope", "cli"), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
        }
        assertError(() -> sessiond.login("ALICE", "nope", "cli"), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");

        assertError(() -> sessiond.login("alice", "right-password", "cli"), Status.Code.RESOURCE_EXHAUSTED, "LOGIN_THROTTLED");
    }

    @Test
    void aRightPassword_resetsTheCount() {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                assertError(() -> sessiond.login("alice", "nope", "cli"), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
            }
            assertThat(sessiond.login("alice", "right-password", "cli").getToken()).isNotEmpty();
        }
        assertThat(storedFailures("alice")).isZero();
    }

    @Test
    void unknownLogins_areThrottledToo() {
        for (int i = 0; i < 5; i++) {
            assertError(() -> sessiond.login("ghost", "nope", "cli"), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
        }
        assertError(() -> sessiond.login("ghost", "nope", "cli"), Status.Code.RESOURCE_EXHAUSTED, "LOGIN_THROTTLED");
        assertThat(sessiond.login("alice", "right-password", "cli").getToken()).as("other logins unaffected").isNotEmpty();
    }

    @Test
    void staleRows_arePurged() {
        assertError(() -> sessiond.login("ghost", "nope", "cli"), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
        sessiond.clock.advance(Duration.ofMinutes(16));
        new LoginThrottle(sessiond.database(), sessiond.config.throttlePolicy()).purgeStale(sessiond.clock.instant());

        long rows = sessiond.database().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM login_throttle")
                .mapTo(Long.class).one());
        assertThat(rows).isZero();
    }
}
