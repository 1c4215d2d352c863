package dev.sessiond.server.api;

import static dev.sessiond.server.testing.TestServer.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.SessionServerServiceGrpc;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.server.testing.CallEnds;
import dev.sessiond.server.testing.NetworkServer;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which thread answers a call, over a real connection: validations answered from the cache and
 * health checks on the transport's thread; a validation that needs the store, and everything
 * else, on sessiond's call threads.
 */
class CallExecutorsTest {

    @TempDir
    Path dir;

    private final CallEnds calls = new CallEnds();

    @Test
    void cachedValidationsAndHealthChecks_areAnsweredOnTheTransportThread_theRestOnCallThreads() throws Exception {
        try (NetworkServer sessiond = NetworkServer.start(dir, Map.of(), calls)) {
            ManagedChannel channel = sessiond.channel();
            HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
            assertThat(calls.next().onCallThread()).isFalse();

            OpenSessionResponse admin = NetworkServer.adminLogin(channel);
            assertThat(calls.next().onCallThread()).as("a sign-in hashes a password").isTrue();

            var service = as(admin.getToken(), SessionServerServiceGrpc.newBlockingStub(channel));
            var request = ValidateAndGetSessionRequest.newBuilder().setToken(admin.getToken()).build();
            service.validateAndGetSession(request); // reads the session into the cache
            calls.next();
            for (int i = 0; i < 3; i++) {
                assertThat(service.validateAndGetSession(request).getSession().getId())
                        .isEqualTo(admin.getSession().getId());
                assertThat(calls.next().onCallThread()).as("validation %d from the cache", i).isFalse();
            }
        }
    }

    @Test
    void aValidationThatNeedsTheStore_movesToACallThread_andIsAnswered() throws Exception {
        try (NetworkServer sessiond = NetworkServer.start(dir, Map.of("SESSIOND_SESSION_CACHE_TTL", "0"), calls)) {
            ManagedChannel channel = sessiond.channel();
            OpenSessionResponse admin = NetworkServer.adminLogin(channel);
            calls.next();

            var service = as(admin.getToken(), SessionServerServiceGrpc.newBlockingStub(channel));
            var request = ValidateAndGetSessionRequest.newBuilder().setToken(admin.getToken()).build();
            assertThat(service.validateAndGetSession(request).getSession().getId()).isEqualTo(admin.getSession().getId());
            assertThat(calls.next().onCallThread()).as("nothing cached: the store is read").isTrue();
        }
    }
}
