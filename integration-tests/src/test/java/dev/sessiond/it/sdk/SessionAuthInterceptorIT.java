package dev.sessiond.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessiond.client.ClientCulture;
import dev.sessiond.client.SessionAuthInterceptor;
import dev.sessiond.client.SessionContext;
import dev.sessiond.client.SessionException;
import dev.sessiond.client.SessiondClient;
import dev.sessiond.client.SessiondClientInterceptor;
import dev.sessiond.client.Sessions;
import dev.sessiond.proto.v1.ErrorReason;
import dev.sessiond.proto.v1.OpenSessionResponse;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small downstream gRPC service (a {@code grpc.health.v1.Health} implementation that records
 * who called it) guarded by {@link SessionAuthInterceptor}, validating against a real sessiond.
 * Both servers listen on 127.0.0.1; the caller sends its token and culture with the SDK's
 * client interceptor.
 */
class SessionAuthInterceptorIT {

    private static final Duration POSITIVE_TTL = Duration.ofSeconds(5);
    private static final Duration NEGATIVE_TTL = Duration.ofSeconds(1);

    @TempDir
    static Path dir;
    static SdkTestServer sessiond;
    static SessiondClient sdk;
    static String serviceToken;

    private final ShiftableClock cacheClock = new ShiftableClock();
    private final RecordingHealthService handler = new RecordingHealthService();
    private Server downstream;
    private ManagedChannel channel;

    @BeforeAll
    static void startSessiond() {
        sessiond = SdkTestServer.start(dir);
        sdk = sessiond.client(b -> b.applicationId("orders-service"));
        sessiond.createUser(sdk, "svc-orders", "service-password", false, true);
        sessiond.createUser(sdk, "alice", "alice-password", false, false);
        serviceToken = sdk.openSession("svc-orders", "service-password").getToken();
    }

    @AfterAll
    static void stopSessiond() {
        sdk.close();
        sessiond.close();
    }

    @BeforeEach
    void startDownstream() throws IOException {
        start(sdk.withToken(serviceToken));
    }

    private void start(SessiondClient validator) throws IOException {
        SessionAuthInterceptor auth = SessionAuthInterceptor.builder(validator)
                .positiveCacheTtl(POSITIVE_TTL)
                .negativeCacheTtl(NEGATIVE_TTL)
                .clock(cacheClock)
                .build();
        downstream = NettyServerBuilder.forAddress(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), InsecureServerCredentials.create())
                .addService(ServerInterceptors.intercept(handler, auth))
                .build()
                .start();
        channel = Grpc.newChannelBuilder(
                InetAddress.getLoopbackAddress().getHostAddress() + ":" + downstream.getPort(),
                InsecureChannelCredentials.create()).build();
    }

    @AfterEach
    void stopDownstream() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        downstream.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Alice signs in from a web client in Moscow on WS-042. */
    private static OpenSessionResponse aliceSignsIn() {
        try (SessiondClient web = sessiond.client(b -> b
                .applicationId("web-client")
                .culture(() -> Locale.forLanguageTag("ru-RU"))
                .uiCulture(() -> Locale.forLanguageTag("ru-RU"))
                .utcOffset(() -> ZoneOffset.ofHours(3))
                .clientHost(() -> "WS-042"))) {
            return web.openSession("alice", "alice-password");
        }
    }

    /** Calls the downstream service with {@code token} (empty: none) and {@code culture}. */
    private HealthCheckResponse call(Optional<String> token, ClientCulture culture) {
        var caller = ClientInterceptors.intercept(channel, new SessiondClientInterceptor(() -> token, () -> culture));
        return HealthGrpc.newBlockingStub(caller).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance());
    }

    @Test
    void aValidToken_reachesTheHandlerWithTheSessionAndTheCallsCulture() {
        OpenSessionResponse alice = aliceSignsIn();
        ClientCulture berlin = ClientCulture.of(Locale.GERMANY, Locale.forLanguageTag("fr-FR"), ZoneOffset.ofHours(1),
                "WS-007");

        assertThat(call(Optional.of(alice.getToken()), berlin).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

        SessionContext seen = handler.contexts.get(0);
        assertThat(seen.sessionId()).isEqualTo(alice.getSession().getId());
        assertThat(seen.user().getLogin()).isEqualTo("alice");
        assertThat(seen.token()).isEqualTo(alice.getToken());
        assertThat(Sessions.isWebClient(seen.session())).isTrue();
        assertThat(seen.culture()).contains(Locale.GERMANY);
        assertThat(seen.uiCulture()).contains(Locale.forLanguageTag("fr-FR"));
        assertThat(seen.utcOffset()).contains(ZoneOffset.ofHours(1));
        assertThat(seen.clientHost()).contains("WS-007");
        assertThat(seen.session().getClientCulture()).isEqualTo("de-DE");
    }

    @Test
    void aCallWithoutCulture_seesTheCultureTheSessionStored() {
        OpenSessionResponse alice = aliceSignsIn();

        call(Optional.of(alice.getToken()), ClientCulture.NONE);

        SessionContext seen = handler.contexts.get(0);
        assertThat(seen.culture()).contains(Locale.forLanguageTag("ru-RU"));
        assertThat(seen.utcOffset()).contains(ZoneOffset.ofHours(3));
        assertThat(seen.clientHost()).contains("WS-042");
        assertThat(seen.session().getClientCulture()).isEqualTo("ru-RU");
    }

    @Test
    void noToken_isUnauthenticated_andNeverReachesTheHandler() {
        assertThatThrownBy(() -> call(Optional.empty(), ClientCulture.NONE))
                .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class, e -> {
                    SessionException failure = SessionException.from(e);
                    assertThat(failure.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(failure.reason()).isEqualTo(ErrorReason.TOKEN_MALFORMED);
                });
        assertThat(handler.contexts).isEmpty();
    }

    @Test
    void aTokenSessiondRefuses_isUnauthenticatedWithSessiondsReason() {
        assertThatThrownBy(() -> call(Optional.of("not-a-token"), ClientCulture.NONE))
                .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class, e -> {
                    SessionException failure = SessionException.from(e);
                    assertThat(failure.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(failure.reason()).isEqualTo(ErrorReason.TOKEN_MALFORMED);
                    assertThat(failure.description()).contains("cannot be parsed");
                });
        assertThat(handler.contexts).isEmpty();
    }

    @Test
    void theServicesOwnSessionEnding_isNotBlamedOnTheCaller() throws IOException, InterruptedException {
        String ownToken = sdk.openSession("svc-orders", "service-password").getToken();
        stopDownstream();
        start(sdk.withToken(ownToken));
        OpenSessionResponse alice = aliceSignsIn();
        assertThat(sdk.withToken(ownToken).closeSession()).isTrue(); // the service's own session ends

        assertThatThrownBy(() -> call(Optional.of(alice.getToken()), ClientCulture.NONE))
                .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL));
        assertThat(handler.contexts).isEmpty();
        // Nothing was remembered against Alice's token: with working credentials it passes at once.
        stopDownstream();
        start(sdk.withToken(serviceToken));
        assertThat(call(Optional.of(alice.getToken()), ClientCulture.NONE).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void aClosedSessionsToken_isRejectedOnceTheCacheTimeHasPassed() {
        OpenSessionResponse alice = aliceSignsIn();
        Optional<String> token = Optional.of(alice.getToken());
        call(token, ClientCulture.NONE);

        assertThat(sdk.withToken(alice.getToken()).closeSession()).isTrue();
        call(token, ClientCulture.NONE); // still within the positive cache time: accepted without asking sessiond
        assertThat(handler.contexts).hasSize(2);

        cacheClock.advance(POSITIVE_TTL);
        assertThatThrownBy(() -> call(token, ClientCulture.NONE))
                .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class, e -> {
                    SessionException failure = SessionException.from(e);
                    assertThat(failure.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(failure.reason()).isEqualTo(ErrorReason.SESSION_NOT_FOUND);
                });
        assertThat(handler.contexts).hasSize(2);
    }

    @Test
    void whenSessiondCannotBeReached_callsAreUnavailable() throws Exception {
        stopDownstream();
        try (SessiondClient unreachable = SessiondClient.builder()
                .target(InetAddress.getLoopbackAddress().getHostAddress() + ":" + freePort())
                .plaintext().maxAttempts(1).deadline(Duration.ofSeconds(5)).token(serviceToken).build()) {
            start(unreachable);

            assertThatThrownBy(() -> call(Optional.of(aliceSignsIn().getToken()), ClientCulture.NONE))
                    .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            assertThat(handler.contexts).isEmpty();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The downstream service: answers SERVING and records the SessionContext it ran in. */
    static final class RecordingHealthService extends HealthGrpc.HealthImplBase {
        final List<SessionContext> contexts = new CopyOnWriteArrayList<>();

        @Override
        public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> responses) {
            contexts.add(SessionContext.current());
            responses.onNext(HealthCheckResponse.newBuilder().setStatus(HealthCheckResponse.ServingStatus.SERVING).build());
            responses.onCompleted();
        }
    }
}
