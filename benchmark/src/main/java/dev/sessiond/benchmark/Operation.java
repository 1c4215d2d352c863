package dev.sessiond.benchmark;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sessiond.proto.v1.SessionServerServiceCloseSessionRequest;
import dev.sessiond.proto.v1.SessionServerServiceGrpc;
import dev.sessiond.proto.v1.SessionServerServiceOpenSessionResponse;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/** What a pass drives: one call, or a short fixed sequence of calls, per invocation. Thread-safe. */
interface Operation {

    /** Every call's deadline: generous, so that a slow server shows as latency, not as errors. */
    long DEADLINE_MILLIS = 30_000;

    /** The name in the report, e.g. {@code ValidateAndGetSession}. */
    String name();

    /** Starts invocation number {@code seq}; {@code done} gets its outcome exactly once. */
    void invoke(long seq, Consumer<Outcome> done);

    /** Whether the outcome is what this operation is meant to produce; only those count as throughput. */
    boolean expected(Outcome outcome);

    /**
     * One unary call per invocation, with request {@code seq % requests.size()}: a spread of
     * pre-encoded requests (tokens, session ids) used round-robin.
     */
    static Operation unary(String name, Driver driver, MethodDescriptor<?, ?> method, List<byte[]> requests,
            Metadata headers, Set<Status.Code> expected) {
        return unary(name, driver, method.getFullMethodName(), requests, headers, expected);
    }

    /** As above, for a method named {@code service/method} (e.g. {@code grpc.health.v1.Health/Check}). */
    static Operation unary(String name, Driver driver, String fullMethodName, List<byte[]> requests,
            Metadata headers, Set<Status.Code> expected) {
        return new Unary(name, driver, Driver.method(fullMethodName), requests.toArray(byte[][]::new), headers,
                expected);
    }

    /**
     * Open+close: {@code SessionServerService.OpenSession} for a user (no password: the store's
     * cost of a session's life, not the hash's), then {@code SessionServerService.CloseSession}
     * of that session. One invocation is the whole cycle.
     */
    static Operation openCloseCycle(Driver driver, LongFunction<byte[]> openRequest, Metadata headers) {
        return new OpenClose(driver, openRequest, headers);
    }

    /** See {@link #unary}. */
    record Unary(String name, Driver driver, MethodDescriptor<byte[], byte[]> method, byte[][] requests,
            Metadata headers, Set<Status.Code> expectedCodes) implements Operation {

        public Unary {
            requireNonNull(name, "name");
            if (requests.length == 0) {
                throw new IllegalArgumentException(name + ": no requests");
            }
        }

        @Override
        public void invoke(long seq, Consumer<Outcome> done) {
            driver.call(method, requests[(int) (seq % requests.length)], headers, DEADLINE_MILLIS, done);
        }

        @Override
        public boolean expected(Outcome outcome) {
            return expectedCodes.contains(outcome.code());
        }
    }

    /** See {@link #openCloseCycle}. */
    record OpenClose(Driver driver, LongFunction<byte[]> openRequest, Metadata headers) implements Operation {

        private static final MethodDescriptor<byte[], byte[]> OPEN =
                Driver.method(SessionServerServiceGrpc.getOpenSessionMethod());
        private static final MethodDescriptor<byte[], byte[]> CLOSE =
                Driver.method(SessionServerServiceGrpc.getCloseSessionMethod());

        @Override
        public String name() {
            return "open+close cycle";
        }

        @Override
        public void invoke(long seq, Consumer<Outcome> done) {
            driver.call(OPEN, openRequest.apply(seq), headers, DEADLINE_MILLIS, opened -> {
                if (opened.code() != Status.Code.OK) {
                    done.accept(opened);
                    return;
                }
                String id;
                try {
                    id = SessionServerServiceOpenSessionResponse.parseFrom(opened.response()).getSession().getId();
                } catch (InvalidProtocolBufferException e) {
                    done.accept(new Outcome(Status.Code.INTERNAL, "UNREADABLE_RESPONSE", null));
                    return;
                }
                byte[] close = SessionServerServiceCloseSessionRequest.newBuilder().setSessionId(id).build().toByteArray();
                driver.call(CLOSE, close, headers, DEADLINE_MILLIS, done);
            });
        }

        @Override
        public boolean expected(Outcome outcome) {
            return outcome.code() == Status.Code.OK;
        }
    }
}
