package dev.sessiond.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.util.concurrent.ListenableFuture;
import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.SessionClientServiceGrpc;
import dev.sessiond.proto.v1.SessionServerServiceGrpc;
import dev.sessiond.proto.v1.TryGetSessionRequest;
import dev.sessiond.proto.v1.TryGetSessionResponse;
import dev.sessiond.server.testing.CallGate;
import dev.sessiond.server.testing.NetworkServer;
import dev.sessiond.server.testing.RawHttp2;
import dev.sessiond.server.testing.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The limits that keep one client from exhausting the server (SESSIOND_MAX_* and the keep-alive
 * settings), each tried over a real connection; after each, the server still serves others.
 */
class TransportLimitsTest {

    private static final String HEALTH_CHECK = "/grpc.health.v1.Health/Check";

    @TempDir
    Path dir;

    @Test
    void messageOverTheDefault64KiB_isRefusedWithResourceExhausted() {
        try (NetworkServer sessiond = NetworkServer.start(dir, Map.of())) {
            var client = SessionClientServiceGrpc.newBlockingStub(sessiond.channel());

            var tooBig = catchThrowableOfType(StatusRuntimeException.class,
                    () -> client.openSession(login("x".repeat(65 * 1024))));
            // just under the limit, the message is read and judged on its merits (a password that long is invalid)
            var fits = catchThrowableOfType(StatusRuntimeException.class,
                    () -> client.openSession(login("x".repeat(63 * 1024))));

            assertThat(tooBig.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(fits.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertServing(sessiond);
        }
    }

    @Test
    void metadataOverTheLimit_isRefusedBeforeTheCallRuns() throws Exception {
        try (NetworkServer sessiond = NetworkServer.start(dir, Map.of("SESSIOND_MAX_METADATA_SIZE", "2KiB"));
                RawHttp2 client = RawHttp2.connect(sessiond.port())) {
            byte[] request = HealthCheckRequest.getDefaultInstance().toByteArray();
            client.unaryCall(1, HEALTH_CHECK, Map.of("sessiond-client-host", "h".repeat(200)), request);
            assertThat(client.readStream(1, Duration.ofSeconds(10))).as("a call within the limit is answered")
                    .anySatisfy(frame -> assertThat(frame.type()).isEqualTo(RawHttp2.DATA));

            client.unaryCall(3, HEALTH_CHECK, Map.of("sessiond-client-host", "h".repeat(2200)), request);
            assertThat(client.readStream(3, Duration.ofSeconds(10))).as("a call a little over it is ended unanswered")
                    .isNotEmpty()
                    .noneSatisfy(frame -> assertThat(frame.type()).isEqualTo(RawHttp2.DATA));

            client.unaryCall(5, HEALTH_CHECK, Map.of("sessiond-client-host", "h".repeat(4096)), request);
            assertThat(client.awaitGoAway(Duration.ofSeconds(10))).as("far over it, the connection is closed")
                    .isPresent();
        }
        // The Java client sees the server's limit in its SETTINGS and does not even send such a call.
        try (NetworkServer sessiond = NetworkServer.start(dir, Map.of())) {
            var client = TestServer.with(SessionClientServiceGrpc.newBlockingStub(sessiond.channel()),
                    Map.of("sessiond-client-host", "h".repeat(9 * 1024)));
            var refused = catchThrowableOfType(StatusRuntimeException.class,
                    () -> client.openSession(login(TestServer.ADMIN_PASSWORD)));
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
            assertThat(refused.getStatus().getDescription()).contains("http2 exception");
            assertServing(sessiond);
        }
    }

    @Test
    void callsPerConnection_overTheLimitWaitInTheClient() throws Exception {
        // A method served on the blocking executor: a gate on one served inline would hold the transport's thread.
        CallGate gate = new CallGate(SessionServerServiceGrpc.getTryGetSessionMethod());
        try (NetworkServer sessiond = NetworkServer.start(dir, Map.of("SESSIOND_MAX_CALLS_PER_CONNECTION", "2"), gate)) {
            ManagedChannel first = sessiond.channel();
            ManagedChannel second = sessiond.channel();
            HealthGrpc.newBlockingStub(first).check(HealthCheckRequest.getDefaultInstance()); // connect
            HealthGrpc.newBlockingStub(second).check(HealthCheckRequest.getDefaultInstance());
            gate.close();

            List<ListenableFuture<TryGetSessionResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                calls.add(tryGetSession(first));
            }
            assertThat(gate.awaitArrivals(2, Duration.ofSeconds(10))).isTrue();
            assertThat(gate.awaitArrivals(1, Duration.ofMillis(500))).as("a third call on the connection").isFalse();
            for (int i = 0; i < 2; i++) {
                calls.add(tryGetSession(second));
            }
            assertThat(gate.awaitArrivals(2, Duration.ofSeconds(10))).as("another connection has its own calls").isTrue();
            gate.open();

            for (ListenableFuture<TryGetSessionResponse> call : calls) {
                // Past the gate, each call reaches the service, which wants a caller's token.
                ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
                assertThat(Status.fromThrowable(e.getCause()).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            }
            assertThat(gate.mostWaiting()).isEqualTo(4);
        } finally {
            gate.open();
        }
    }

    private static ListenableFuture<TryGetSessionResponse> tryGetSession(ManagedChannel channel) {
        return SessionServerServiceGrpc.newFutureStub(channel).tryGetSession(TryGetSessionRequest.newBuilder()
                .setSessionId(UUID.randomUUID().toString()).build());
    }

    @Test
    void clientPingingMoreOftenThanPermitted_isSentAway() throws Exception {
        try (NetworkServer sessiond = NetworkServer.start(dir, Map.of())) {
            try (RawHttp2 rude = RawHttp2.connect(sessiond.port())) {
                rude.openStream(1, HEALTH_CHECK); // a call in progress: pings are judged by their rate alone
                for (int i = 0; i < 5; i++) {
                    rude.ping(i);
                }
                var goAway = rude.awaitGoAway(Duration.ofSeconds(10));

                assertThat(goAway).get().satisfies(g -> {
                    assertThat(g.errorCode()).isEqualTo(RawHttp2.ENHANCE_YOUR_CALM);
                    assertThat(g.debugData()).isEqualTo("too_many_pings");
                });
            }
            assertServing(sessiond);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SESSIOND_MAX_CONNECTION_IDLE", "SESSIOND_MAX_CONNECTION_AGE"})
    void connectionPastItsIdleTimeOrAge_isClosedGracefully(String setting) throws Exception {
        try (NetworkServer sessiond = NetworkServer.start(dir, Map.of(setting, "1s"));
                RawHttp2 client = RawHttp2.connect(sessiond.port()).answerPings(true)) {
            assertThat(client.awaitGoAway(Duration.ofSeconds(5))).get()
                    .satisfies(g -> assertThat(g.errorCode()).isEqualTo(RawHttp2.NO_ERROR));
            assertServing(sessiond);
        }
    }

    @Test
    void rapidReset_overTheLimitIsSentAway_underItIsNot() throws Exception {
        try (NetworkServer sessiond = NetworkServer.start(dir,
                Map.of("SESSIOND_MAX_RST_FRAMES", "20", "SESSIOND_RST_FRAMES_WINDOW", "10s"))) {
            try (RawHttp2 polite = RawHttp2.connect(sessiond.port())) {
                polite.openAndResetStreams(15, HEALTH_CHECK);
                assertThat(polite.awaitGoAway(Duration.ofMillis(500))).isEmpty();
            }
            try (RawHttp2 attacker = RawHttp2.connect(sessiond.port())) {
                attacker.openAndResetStreams(60, HEALTH_CHECK);
                assertThat(attacker.awaitGoAway(Duration.ofSeconds(10))).get()
                        .satisfies(g -> assertThat(g.errorCode()).isEqualTo(RawHttp2.ENHANCE_YOUR_CALM));
            }
            assertServing(sessiond);
        }
    }

    private static OpenSessionRequest login(String password) {
        return OpenSessionRequest.newBuilder().setLogin("admin").setPassword(password).setApplicationId("cli").build();
    }

    /** A new connection gets served: health SERVING and a working sign-in. */
    private static void assertServing(NetworkServer sessiond) {
        ManagedChannel fresh = sessiond.channel();
        assertThat(HealthGrpc.newBlockingStub(fresh).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
        assertThat(SessionClientServiceGrpc.newBlockingStub(fresh).withDeadlineAfter(10, TimeUnit.SECONDS)
                .openSession(login(TestServer.ADMIN_PASSWORD)).getToken()).isNotEmpty();
    }
}
