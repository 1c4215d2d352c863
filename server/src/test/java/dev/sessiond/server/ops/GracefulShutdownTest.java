package dev.sessiond.server.ops;

import static dev.sessiond.server.testing.Errors.assertStatus;
import static dev.sessiond.server.testing.TestServer.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.SessionServerServiceGrpc;
import dev.sessiond.proto.v1.TryGetSessionRequest;
import dev.sessiond.proto.v1.TryGetSessionResponse;
import dev.sessiond.server.testing.CallGate;
import dev.sessiond.server.testing.Http;
import dev.sessiond.server.testing.NetworkServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What SIGTERM does (SessiondServer.close(), which Main's shutdown hook runs), over real connections. */
class GracefulShutdownTest {

    @TempDir
    Path dir;

    // A method served on the blocking executor: a gate on one served inline would hold the transport's thread.
    private final CallGate gate = new CallGate(SessionServerServiceGrpc.getTryGetSessionMethod());

    @Test
    void shutdown_reportsNotServing_refusesNewCalls_andLetsTwentySlowCallsFinish() throws Exception {
        Duration grace = Duration.ofSeconds(20);
        try (NetworkServer sessiond = NetworkServer.start(dir, Map.of("SESSIOND_SHUTDOWN_GRACE", "20s"), gate)) {
            ManagedChannel channel = sessiond.channel();
            OpenSessionResponse admin = NetworkServer.adminLogin(channel);
            BlockingQueue<ServingStatus> watched = watchHealth(channel);
            assertThat(watched.poll(10, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);

            gate.close();
            var service = as(admin.getToken(), SessionServerServiceGrpc.newFutureStub(channel));
            List<ListenableFuture<TryGetSessionResponse>> slow = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                slow.add(service.tryGetSession(
                        TryGetSessionRequest.newBuilder().setSessionId(admin.getSession().getId()).build()));
            }
            assertThat(gate.awaitArrivals(20, Duration.ofSeconds(10))).as("20 calls in flight").isTrue();

            long start = System.nanoTime();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(sessiond::shutdown);

            assertThat(watched.poll(10, TimeUnit.SECONDS)).as("health watchers hear").isEqualTo(ServingStatus.NOT_SERVING);
            Http.Response ready = Http.get(sessiond.metricsPort(), "/readyz");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).contains("shutting down");
            assertThat(Http.get(sessiond.metricsPort(), "/healthz").status()).as("still alive while draining").isEqualTo(200);
            assertStatus(() -> HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()), Status.Code.UNAVAILABLE);
            assertThat(stopping).as("still draining the slow calls").isNotDone();

            gate.open();
            for (ListenableFuture<TryGetSessionResponse> call : slow) {
                assertThat(call.get(10, TimeUnit.SECONDS).getSession().getId()).isEqualTo(admin.getSession().getId());
            }
            stopping.get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(grace);
        } finally {
            gate.open();
        }
    }

    @Test
    void shutdown_cancelsCallsThatOutrunTheGrace_andStopsInTime() throws Exception {
        try (NetworkServer sessiond = NetworkServer.start(dir, Map.of("SESSIOND_SHUTDOWN_GRACE", "1s"), gate)) {
            ManagedChannel channel = sessiond.channel();
            OpenSessionResponse admin = NetworkServer.adminLogin(channel);
            gate.close();
            ListenableFuture<TryGetSessionResponse> stuck = as(admin.getToken(),
                    SessionServerServiceGrpc.newFutureStub(channel)).tryGetSession(
                    TryGetSessionRequest.newBuilder().setSessionId(admin.getSession().getId()).build());
            assertThat(gate.awaitArrivals(1, Duration.ofSeconds(10))).isTrue();

            long start = System.nanoTime();
            sessiond.shutdown();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).as("the 1 s grace, then a prompt cancel").isBetween(Duration.ofMillis(900), Duration.ofSeconds(8));
            ExecutionException e = org.assertj.core.api.Assertions.catchThrowableOfType(ExecutionException.class,
                    () -> stuck.get(10, TimeUnit.SECONDS));
            assertThat(Status.fromThrowable(e.getCause()).getCode()).isIn(Status.Code.CANCELLED, Status.Code.UNAVAILABLE);
        } finally {
            gate.open();
        }
    }


    private static BlockingQueue<ServingStatus> watchHealth(ManagedChannel channel) {
        BlockingQueue<ServingStatus> statuses = new LinkedBlockingQueue<>();
        HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(HealthCheckResponse response) {
                statuses.add(response.getStatus());
            }

            @Override
            public void onError(Throwable t) {
                if (!(t instanceof StatusRuntimeException)) {
                    statuses.add(ServingStatus.UNKNOWN);
                }
            }

            @Override
            public void onCompleted() {}
        });
        return statuses;
    }
}
