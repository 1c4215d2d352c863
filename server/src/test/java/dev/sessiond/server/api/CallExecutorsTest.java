package dev.sessiond.server.api;

import static dev.sessiond.server.testing.TestServer.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.SessionServerServiceGrpc;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.server.testing.NetworkServer;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which thread answers a call, over a real connection: validations answered from the cache and
 * health checks on the transport's thread; a validation that needs the store, and everything
 * else, on sessiond's call threads.
 */
class CallExecutorsTest {

    private static final String CALL_THREAD = "sessiond-call-";

    @TempDir
    Path dir;

    /** The name of the thread that ended each call, in the order the calls ended. */
    private final BlockingQueue<String> answeredOn = new LinkedBlockingQueue<>();

    private final ServerInterceptor recorder = new ServerInterceptor() {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            return next.startCall(new SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    answeredOn.add(Thread.currentThread().getName());
                    super.close(status, trailers);
                }
            }, headers);
        }
    };

    @Test
    void cachedValidationsAndHealthChecks_areAnsweredOnTheTransportThread_theRestOnCallThreads() throws Exception {
        try (NetworkServer sessiond = NetworkServer.start(dir, Map.of(), recorder)) {
            ManagedChannel channel = sessiond.channel();
            HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
            assertThat(next()).doesNotStartWith(CALL_THREAD);

            OpenSessionResponse admin = NetworkServer.adminLogin(channel);
            assertThat(next()).as("a sign-in hashes a password").startsWith(CALL_THREAD);

            var service = as(admin.getToken(), SessionServerServiceGrpc.newBlockingStub(channel));
            var request = ValidateAndGetSessionRequest.newBuilder().setToken(admin.getToken()).build();
            service.validateAndGetSession(request); // reads the session into the cache
            next();
            for (int i = 0; i < 3; i++) {
                assertThat(service.validateAndGetSession(request).getSession().getId())
                        .isEqualTo(admin.getSession().getId());
                assertThat(next()).as("validation %d from the cache", i).doesNotStartWith(CALL_THREAD);
            }
        }
    }

    @Test
    void aValidationThatNeedsTheStore_movesToACallThread_andIsAnswered() throws Exception {
        try (NetworkServer sessiond = NetworkServer.start(dir, Map.of("SESSIOND_SESSION_CACHE_TTL", "0"), recorder)) {
            ManagedChannel channel = sessiond.channel();
            OpenSessionResponse admin = NetworkServer.adminLogin(channel);
            next();

            var service = as(admin.getToken(), SessionServerServiceGrpc.newBlockingStub(channel));
            var request = ValidateAndGetSessionRequest.newBuilder().setToken(admin.getToken()).build();
            assertThat(service.validateAndGetSession(request).getSession().getId()).isEqualTo(admin.getSession().getId());
            assertThat(next()).as("nothing cached: the store is read").startsWith(CALL_THREAD);
        }
    }

    private String next() throws InterruptedException {
        String thread = answeredOn.poll(10, TimeUnit.SECONDS);
        assertThat(thread).as("a call ended").isNotNull();
        return thread;
    }
}
