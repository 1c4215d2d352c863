package dev.sessiond.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records how each call ended and on which thread, for tests of where calls are served (the
 * transport's thread or sessiond's call threads). Thread-safe.
 */
public final class CallEnds implements ServerInterceptor {

    /** One ended call: its method, status and the thread that ended it. */
    public record Ended(String method, Status.Code code, String thread) {
        /** Whether one of sessiond's call threads ended it (else the transport's thread did). */
        public boolean onCallThread() {
            return thread.startsWith("sessiond-call-");
        }
    }

    private final BlockingQueue<Ended> ended = new LinkedBlockingQueue<>();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        return next.startCall(new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                ended.add(new Ended(call.getMethodDescriptor().getFullMethodName(), status.getCode(),
                        Thread.currentThread().getName()));
                super.close(status, trailers);
            }
        }, headers);
    }

    /** The next call to end, in the order they ended; waits up to 10 s for it. */
    public Ended next() throws InterruptedException {
        Ended call = ended.poll(10, TimeUnit.SECONDS);
        assertThat(call).as("a call ended").isNotNull();
        return call;
    }

    /** The calls that ended so far and were not taken by {@link #next()}, with {@code code}. */
    public List<Ended> withCode(Status.Code code) {
        return ended.stream().filter(e -> e.code() == code).toList();
    }
}
