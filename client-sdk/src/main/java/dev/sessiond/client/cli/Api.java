package dev.sessiond.client.cli;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import dev.sessiond.proto.v1.SessionClientServiceGrpc;
import dev.sessiond.proto.v1.SessionDirectoryServiceGrpc;
import dev.sessiond.proto.v1.UserAdminServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One connection to sessiond for one sessionctl run, with the generated blocking stubs. Every
 * call carries the deadline and {@code sessiond-client-host}; authenticated calls also carry
 * {@code authorization: Bearer <token>}. Not thread-safe; closed at the end of the run.
 */
final class Api implements AutoCloseable {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> CLIENT_HOST =
            Metadata.Key.of("sessiond-client-host", Metadata.ASCII_STRING_MARSHALLER);

    private final String target;
    private final ManagedChannel channel;
    private final Duration timeout;
    private final String clientHost;

    Api(String target, boolean tls, Optional<Path> caFile, Duration timeout, String clientHost) {
        this.target = requireNonNull(target, "target");
        this.timeout = requireNonNull(timeout, "timeout");
        this.clientHost = requireNonNull(clientHost, "clientHost");
        this.channel = Grpc.newChannelBuilder(target, credentials(tls, caFile)).build();
    }

    private static ChannelCredentials credentials(boolean tls, Optional<Path> caFile) {
        if (!tls && caFile.isEmpty()) {
            return InsecureChannelCredentials.create();
        }
        try {
            TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
            if (caFile.isPresent()) {
                builder.trustManager(caFile.get().toFile());
            }
            return builder.build();
        } catch (IOException e) {
            throw new CliException("cannot read CA file " + caFile.orElseThrow() + ": " + e.getMessage());
        }
    }

    SessionClientServiceGrpc.SessionClientServiceBlockingStub client(Optional<String> token) {
        return prepare(SessionClientServiceGrpc.newBlockingStub(channel), token);
    }

    SessionDirectoryServiceGrpc.SessionDirectoryServiceBlockingStub directory(String token) {
        return prepare(SessionDirectoryServiceGrpc.newBlockingStub(channel), Optional.of(token));
    }

    UserAdminServiceGrpc.UserAdminServiceBlockingStub users(String token) {
        return prepare(UserAdminServiceGrpc.newBlockingStub(channel), Optional.of(token));
    }

    private <S extends AbstractStub<S>> S prepare(S stub, Optional<String> token) {
        Metadata headers = new Metadata();
        if (!clientHost.isEmpty()) {
            headers.put(CLIENT_HOST, clientHost);
        }
        token.ifPresent(t -> headers.put(AUTHORIZATION, "Bearer " + t));
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The one-line reason of a failed call: the ErrorInfo reason sessiond attaches to its errors
     * and the status message, e.g. {@code INVALID_CREDENTIALS: login or password is wrong}; for
     * failures without one (transport, UNIMPLEMENTED), the status code.
     */
    String describe(StatusRuntimeException e) {
        Status status = e.getStatus();
        String message = status.getDescription() == null ? "" : status.getDescription();
        Optional<String> reason = reason(e);
        if (reason.isPresent()) {
            return reason.get() + ": " + message;
        }
        return switch (status.getCode()) {
            case UNAVAILABLE -> "UNAVAILABLE: cannot reach sessiond at " + target + " (" + message + ")";
            case DEADLINE_EXCEEDED -> "DEADLINE_EXCEEDED: no answer from " + target + " within " + timeout.toSeconds() + " s";
            default -> status.getCode() + (message.isEmpty() ? "" : ": " + message);
        };
    }

    static Optional<String> reason(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status == null) {
            return Optional.empty();
        }
        return status.getDetailsList().stream().filter(any -> any.is(ErrorInfo.class)).findFirst().map(any -> {
            try {
                return any.unpack(ErrorInfo.class).getReason();
            } catch (InvalidProtocolBufferException bad) {
                return "";
            }
        }).filter(r -> !r.isEmpty());
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
