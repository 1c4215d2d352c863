package dev.sessiond.server.ops;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts the unary calls in flight, so that a graceful shutdown can wait for the calls that do
 * work and then end the long-lived streams (health watches) that would otherwise hold it for
 * the whole grace period. Thread-safe.
 */
public final class InFlightCalls implements ServerInterceptor {

    private int inFlight; // guarded by this

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (call.getMethodDescriptor().getType() != MethodType.UNARY) {
            return next.startCall(call, headers);
        }
        AtomicBoolean ended = new AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                finished();
            }
        };
        started();
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(new SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    try {
                        super.close(status, trailers);
                    } finally {
                        end.run();
                    }
                }
            }, headers);
        } catch (RuntimeException e) {
            end.run();
            throw e;
        }
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    end.run();
                }
            }

            @Override
            public void onComplete() {
                try {
                    super.onComplete();
                } finally {
                    end.run();
                }
            }
        };
    }

    private synchronized void started() {
        inFlight++;
    }

    private synchronized void finished() {
        inFlight--;
        if (inFlight == 0) {
            notifyAll();
        }
    }

    /** Unary calls running now. */
    public synchronized int count() {
        return inFlight;
    }

    /** Waits until no unary call runs, for at most {@code timeout}. @return whether none runs */
    public synchronized boolean awaitNone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
