package dev.sessiond.it;

import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.SessionClientServiceGrpc;
import dev.sessiond.proto.v1.SessionServerServiceGrpc;
import dev.sessiond.proto.v1.UserAdminServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;

/** A server process and a gRPC channel to it, with stubs signed in as its administrator. */
final class Replica implements AutoCloseable {

    final ServerProcess process;
    final ManagedChannel channel;
    private volatile String adminToken;

    Replica(ServerProcess process) {
        this.process = process;
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", process.port()).usePlaintext().build();
    }

    /** An administrator session on this replica (opened once). */
    String adminToken() {
        if (adminToken == null) {
            adminToken = SessionClientServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .openSession(OpenSessionRequest.newBuilder().setLogin("admin")
                            .setPassword(process.adminPassword()).setApplicationId("cli").build())
                    .getToken();
        }
        return adminToken;
    }

    SessionServerServiceGrpc.SessionServerServiceBlockingStub server() {
        return as(adminToken(), SessionServerServiceGrpc.newBlockingStub(channel));
    }

    UserAdminServiceGrpc.UserAdminServiceBlockingStub users() {
        return as(adminToken(), UserAdminServiceGrpc.newBlockingStub(channel));
    }

    ServingStatus health() {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    static <S extends AbstractStub<S>> S as(String token, S stub) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Override
    public void close() {
        channel.shutdownNow();
        process.close();
    }
}
