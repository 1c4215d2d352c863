package dev.sessiond.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessiond.client.ClientCulture;
import dev.sessiond.client.SessionContext;
import dev.sessiond.client.SessionController;
import dev.sessiond.client.SessiondClient;
import dev.sessiond.client.SessiondClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README.md's SDK example is {@link ReadmeExample}, and it works against a real server. */
class ReadmeExampleIT {

    @TempDir
    Path dir;

    @Test
    void theReadmesSdkExample_isTheCompiledExample() {
        assertThat(Readme.javaBlock("SDK")).as("README.md's '## SDK' section has a java code block").isPresent();
        assertThat(Readme.markedCode("ReadmeExample")).as("ReadmeExample.java has the README markers").isPresent();

        assertThat(Readme.javaBlock("SDK")).isEqualTo(Readme.markedCode("ReadmeExample"));
    }

    @Test
    void theExample_runsAgainstARealServer() throws Exception {
        try (SdkTestServer server = SdkTestServer.start(dir);
                SessiondClient sessiond = server.client(b -> b.applicationId("orders-service"))) {
            server.createUser(sessiond, "alice", "alice-password", false, false);
            server.createUser(sessiond, "svc-orders", "service-password", false, true);
            String serviceToken = sessiond.openSession("svc-orders", "service-password").getToken();

            assertThat(ReadmeExample.signInAndOut(server.target(), "alice-password", serviceToken)).isEqualTo("alice");
            List<String> aliceEvents = server.database().withHandle(h -> h.createQuery(
                    "SELECT kind FROM session_events WHERE user_login = 'alice' AND session_id IS NOT NULL ORDER BY id").mapTo(String.class).list());
            assertThat(aliceEvents).containsExactly("OPENED", "CLOSED");
            assertThatThrownBy(() -> ReadmeExample.signInAndOut(server.target(), "wrong", serviceToken))
                    .hasMessage("sessiond refused: INVALID_CREDENTIALS");

            String aliceToken = sessiond.openSession("alice", "alice-password").getToken();
            try (SessionController own = ReadmeExample.ownSession(sessiond, "service-password")) {
                Server guarded = ReadmeExample.guard(NettyServerBuilder.forAddress(
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), InsecureServerCredentials.create()),
                        sessiond, own, new WhoAmI());
                ManagedChannel channel = Grpc.newChannelBuilder(
                        InetAddress.getLoopbackAddress().getHostAddress() + ":" + guarded.getPort(),
                        InsecureChannelCredentials.create()).build();
                try {
                    assertThat(check(channel, Optional.of(aliceToken))).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
                    assertThatThrownBy(() -> check(channel, Optional.empty()))
                            .isInstanceOfSatisfying(StatusRuntimeException.class,
                                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
                } finally {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                    guarded.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static HealthCheckResponse.ServingStatus check(ManagedChannel channel, Optional<String> token) {
        return HealthGrpc.newBlockingStub(ClientInterceptors.intercept(channel,
                        new SessiondClientInterceptor(() -> token, () -> ClientCulture.NONE)))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("alice").build()).getStatus();
    }

    /** Serving only for the user the request names. */
    static final class WhoAmI extends HealthGrpc.HealthImplBase {
        @Override
        public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> responses) {
            boolean itsYou = SessionContext.current().user().getLogin().equals(request.getService());
            responses.onNext(HealthCheckResponse.newBuilder().setStatus(itsYou
                    ? HealthCheckResponse.ServingStatus.SERVING : HealthCheckResponse.ServingStatus.NOT_SERVING).build());
            responses.onCompleted();
        }
    }
}
