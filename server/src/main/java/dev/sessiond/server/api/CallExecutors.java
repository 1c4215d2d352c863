package dev.sessiond.server.api;

import static java.util.Objects.requireNonNull;

import dev.sessiond.proto.v1.SessionClientServiceGrpc;
import dev.sessiond.proto.v1.SessionServerServiceGrpc;
import dev.sessiond.server.store.NonBlocking;
import io.grpc.Metadata;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.health.v1.HealthGrpc;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Which thread serves each call. The calls every other service makes on every request —
 * validations, answered from the session cache — and health checks run on the transport's
 * thread that read them ({@link NonBlocking}); when one needs the store after all, it moves to
 * the blocking executor itself. A password sign-in starts there too, so that one beyond the
 * hashing capacity is refused at once, before anything waits; the others move on at their first
 * store access, well before the hash. Every other call (most of them write) runs on the
 * blocking executor, as in a default gRPC server. Thread-safe.
 */
public final class CallExecutors implements ServerCallExecutorSupplier {

    /** The methods served on the transport's thread. */
    static final Set<String> INLINE = Set.of(
            HealthGrpc.getCheckMethod().getFullMethodName(),
            SessionServerServiceGrpc.getValidateAndGetSessionMethod().getFullMethodName(),
            SessionServerServiceGrpc.getValidateBasicFieldsMethod().getFullMethodName(),
            SessionClientServiceGrpc.getOpenSessionMethod().getFullMethodName());

    private final Executor blocking;

    private CallExecutors(Executor blocking) {
        this.blocking = requireNonNull(blocking, "blocking");
    }

    /**
     * Sets up {@code builder} so: the default executor runs inline (it also finds each call's
     * method, a map lookup), and this supplier moves the calls not in {@link #INLINE} to
     * {@code blocking}.
     */
    public static void install(ServerBuilder<?> builder, Executor blocking) {
        builder.executor(new NonBlocking(blocking)).callExecutor(new CallExecutors(blocking));
    }

    @Override
    public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
        return INLINE.contains(call.getMethodDescriptor().getFullMethodName()) ? null : blocking;
    }
}
