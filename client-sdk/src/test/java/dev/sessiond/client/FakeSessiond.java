package dev.sessiond.client;

import dev.sessiond.proto.v1.CloseSessionRequest;
import dev.sessiond.proto.v1.CloseSessionResponse;
import dev.sessiond.proto.v1.ListUsersRequest;
import dev.sessiond.proto.v1.ListUsersResponse;
import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.OpenSessionWindowsAuthRequest;
import dev.sessiond.proto.v1.OpenSessionWindowsAuthResponse;
import dev.sessiond.proto.v1.SessionClientServiceGrpc;
import dev.sessiond.proto.v1.SessionServerServiceGrpc;
import dev.sessiond.proto.v1.UpdateLastActivityRequest;
import dev.sessiond.proto.v1.UpdateLastActivityResponse;
import dev.sessiond.proto.v1.UserAdminServiceGrpc;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.proto.v1.ValidateAndGetSessionResponse;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stand-in for the remote sessiond, on the in-process transport: each RPC the unit tests need
 * answers with a function the test sets (a response, or a thrown status exception), and every call's metadata and name are recorded. For
 * what only a real server can show, the integration tests run against sessiond itself.
 */
final class FakeSessiond implements AutoCloseable {

    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Metadata> headers = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final String name = "fake-sessiond-" + UUID.randomUUID();
    private final Server server;

    volatile Function<OpenSessionRequest, OpenSessionResponse> openSession =
            r -> OpenSessionResponse.newBuilder().setToken("token-" + UUID.randomUUID())
                    .setSession(dev.sessiond.proto.v1.Session.newBuilder().setId(UUID.randomUUID().toString())).build();
    volatile Function<OpenSessionWindowsAuthRequest, OpenSessionWindowsAuthResponse> openSessionWindowsAuth =
            r -> OpenSessionWindowsAuthResponse.getDefaultInstance();
    volatile Function<CloseSessionRequest, CloseSessionResponse> closeSession =
            r -> CloseSessionResponse.newBuilder().setWasOpen(true).build();
    volatile Function<ValidateAndGetSessionRequest, ValidateAndGetSessionResponse> validate =
            r -> ValidateAndGetSessionResponse.getDefaultInstance();
    volatile Function<UpdateLastActivityRequest, UpdateLastActivityResponse> updateLastActivity =
            r -> UpdateLastActivityResponse.newBuilder().setWasOpen(true).build();
    volatile Function<ListUsersRequest, ListUsersResponse> listUsers = r -> ListUsersResponse.getDefaultInstance();

    FakeSessiond() {
        ServerInterceptor recorder = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata metadata,
                    ServerCallHandler<Q, R> next) {
                String method = call.getMethodDescriptor().getBareMethodName();
                calls.add(method);
                headers.add(metadata);
                counts.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
                return next.startCall(call, metadata);
            }
        };
        try {
            server = InProcessServerBuilder.forName(name)
                    .addService(ServerInterceptors.intercept(new ClientService(), recorder))
                    .addService(ServerInterceptors.intercept(new ServerService(), recorder))
                    .addService(ServerInterceptors.intercept(new UserService(), recorder))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client of this fake, plaintext, with {@code configure} applied to the builder. */
    SessiondClient client(Function<SessiondClientBuilder, SessiondClientBuilder> configure) {
        return configure.apply(SessiondClient.builder().channelBuilder(InProcessChannelBuilder.forName(name))).build();
    }

    /** How often the bare method {@code method} (e.g. {@code OpenSession}) was called. */
    int count(String method) {
        AtomicInteger n = counts.get(method);
        return n == null ? 0 : n.get();
    }

    Metadata lastHeaders() {
        return headers.get(headers.size() - 1);
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    private static <Q, R> void answer(Function<Q, R> answer, Q request, StreamObserver<R> responses) {
        R response;
        try {
            response = answer.apply(request);
        } catch (RuntimeException e) {
            responses.onError(e);
            return;
        }
        responses.onNext(response);
        responses.onCompleted();
    }

    private final class ClientService extends SessionClientServiceGrpc.SessionClientServiceImplBase {
        @Override
        public void openSession(OpenSessionRequest request, StreamObserver<OpenSessionResponse> responses) {
            answer(openSession, request, responses);
        }

        @Override
        public void openSessionWindowsAuth(OpenSessionWindowsAuthRequest request,
                StreamObserver<OpenSessionWindowsAuthResponse> responses) {
            answer(openSessionWindowsAuth, request, responses);
        }

        @Override
        public void closeSession(CloseSessionRequest request, StreamObserver<CloseSessionResponse> responses) {
            answer(closeSession, request, responses);
        }
    }

    private final class ServerService extends SessionServerServiceGrpc.SessionServerServiceImplBase {
        @Override
        public void validateAndGetSession(ValidateAndGetSessionRequest request,
                StreamObserver<ValidateAndGetSessionResponse> responses) {
            answer(validate, request, responses);
        }

        @Override
        public void updateLastActivity(UpdateLastActivityRequest request,
                StreamObserver<UpdateLastActivityResponse> responses) {
            answer(updateLastActivity, request, responses);
        }
    }

    private final class UserService extends UserAdminServiceGrpc.UserAdminServiceImplBase {
        @Override
        public void listUsers(ListUsersRequest request, StreamObserver<ListUsersResponse> responses) {
            answer(listUsers, request, responses);
        }
    }
}
