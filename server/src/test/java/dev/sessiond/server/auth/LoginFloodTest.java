package dev.sessiond.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.rpc.RetryInfo;
import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.SessionClientServiceGrpc;
import dev.sessiond.server.testing.CallEnds;
import dev.sessiond.server.testing.Errors;
import dev.sessiond.server.testing.Http;
import dev.sessiond.server.testing.NetworkServer;
import dev.sessiond.server.testing.TestServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A burst of sign-ins against a small hashing pool. */
class LoginFloodTest {

    /** The production cost: the burst of 40 arrives while the one slot is busy with a hash of 19 MiB. */
    private static final PasswordHasher.Cost FLOOD_COST = PasswordHasher.Cost.OWASP;

    @TempDir
    Path dir;

    @Test
    void loginFlood_beyondTheHashingPool_isRefusedQuickly_withoutCountingFailures() throws Exception {
        try (NetworkServer sessiond = NetworkServer.start(dir, Map.of("SESSIOND_PASSWORD_HASH_CONCURRENCY", "1",
                "SESSIOND_PASSWORD_HASH_QUEUE", "2"), FLOOD_COST, builder -> {})) {
            ManagedChannel channel = sessiond.channel();
            var client = SessionClientServiceGrpc.newFutureStub(channel);
            OpenSessionRequest login = OpenSessionRequest.newBuilder().setLogin("admin")
                    .setPassword(TestServer.ADMIN_PASSWORD).setApplicationId("cli").build();
            client.openSession(login).get(30, TimeUnit.SECONDS); // connected and warm

            List<ListenableFuture<OpenSessionResponse>> flood = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                flood.add(client.openSession(login));
            }
            int opened = 0;
            int refused = 0;
            for (ListenableFuture<OpenSessionResponse> call : flood) {
                try {
                    call.get(60, TimeUnit.SECONDS);
                    opened++;
                } catch (ExecutionException e) {
                    StatusRuntimeException failure = (StatusRuntimeException) e.getCause();
                    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    var info = Errors.errorInfo(failure);
                    assertThat(info.getReason()).isEqualTo("LOGIN_THROTTLED");
                    assertThat(info.getMetadataMap()).containsEntry("cause", "server_busy");
                    assertThat(StatusProto.fromThrowable(failure).getDetailsList())
                            .anySatisfy(any -> assertThat(any.is(RetryInfo.class)).isTrue());
                    refused++;
                }
            }

            assertThat(opened).as("one hashing, two waiting at a time: some get through").isGreaterThanOrEqualTo(3);
            assertThat(refused).as("the rest are turned away (how many depends on how fast they arrive)").isPositive();
            assertThat(opened + refused).isEqualTo(40);
            // a busy server is not a wrong password: the right password still works, no lockout was counted
            assertThat(client.openSession(login).get(30, TimeUnit.SECONDS).getToken()).isNotEmpty();
            String metrics = Http.get(sessiond.metricsPort(), "/metrics").body();
            assertThat(metrics).contains("sessiond_password_hashes_rejected_total " + (double) refused)
                    .contains("sessiond_login_failures_total{reason=\"invalid_credentials\"} 0.0");
            assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                    .isEqualTo(ServingStatus.SERVING);
        }
    }

    /** Slow enough that a line of three sign-ins stays full for seconds. */
    private static final PasswordHasher.Cost SLOW_COST = new PasswordHasher.Cost(19_456, 80, 1);

    @Test
    void signInsBeyondAFullLine_areRefusedOnTheTransportThread_theOthersWaitOnCallThreadsForTheirHash() throws Exception {
        CallEnds calls = new CallEnds();
        try (NetworkServer sessiond = NetworkServer.start(dir, Map.of("SESSIOND_PASSWORD_HASH_CONCURRENCY", "1",
                "SESSIOND_PASSWORD_HASH_QUEUE", "2", "SESSIOND_PASSWORD_HASH_MAX_WAIT", "10m"), SLOW_COST,
                builder -> builder.intercept(calls))) {
            var client = SessionClientServiceGrpc.newFutureStub(sessiond.channel());
            OpenSessionRequest login = OpenSessionRequest.newBuilder().setLogin("admin")
                    .setPassword(TestServer.ADMIN_PASSWORD).setApplicationId("cli").build();
            List<ListenableFuture<OpenSessionResponse>> line = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                line.add(client.openSession(login));
            }
            awaitMetric(sessiond, "sessiond_password_hashes_waiting 2.0");
            assertThat(Thread.getAllStackTraces().entrySet()).as("the hash runs on a hash thread, nicer than call threads")
                    .anySatisfy(thread -> {
                        assertThat(thread.getKey().getName()).startsWith("sessiond-hash-");
                        assertThat(thread.getValue()).anySatisfy(frame ->
                                assertThat(frame.getClassName()).isEqualTo(Argon2BytesGenerator.class.getName()));
                    });

            for (int i = 0; i < 5; i++) {
                try {
                    client.openSession(login).get(30, TimeUnit.SECONDS);
                    throw new AssertionError("sign-in " + i + " beyond the full line was let in");
                } catch (ExecutionException e) {
                    assertThat(((StatusRuntimeException) e.getCause()).getStatus().getCode())
                            .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                }
            }
            for (ListenableFuture<OpenSessionResponse> call : line) {
                assertThat(call.get(120, TimeUnit.SECONDS).getToken()).isNotEmpty();
            }

            assertThat(calls.withCode(Status.Code.RESOURCE_EXHAUSTED)).as("refused without a call thread")
                    .hasSize(5).noneMatch(CallEnds.Ended::onCallThread);
            assertThat(calls.withCode(Status.Code.OK)).as("answered from call threads, which waited for the hash")
                    .hasSize(3).allMatch(CallEnds.Ended::onCallThread);
        }
    }

    private static void awaitMetric(NetworkServer sessiond, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Http.get(sessiond.metricsPort(), "/metrics").body().contains(line)) {
            assertThat(System.nanoTime()).as("waiting for %s", line).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
