package dev.sessiond.server.testing;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes calls of one method slow on demand, for tests of what happens while calls are in
 * flight: once {@link #close() closed}, each call of the method waits at the gate (before the
 * service sees it) until {@link #open()}; at most 30 s, so a forgotten gate cannot hang a build.
 * Gate a method served on the blocking executor: one served inline (validations, health
 * checks) would hold the transport thread that reads every call of its connections.
 * Counts the calls waiting at once. Thread-safe.
 */
public final class CallGate implements ServerInterceptor {

    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final String fullMethodName;
    private volatile CountDownLatch gate;
    private final Semaphore arrived = new Semaphore(0);
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger mostWaiting = new AtomicInteger();

    public CallGate(MethodDescriptor<?, ?> method) {
        this.fullMethodName = method.getFullMethodName();
    }

    /** From now on, calls of the method wait at the gate. */
    public void close() {
        gate = new CountDownLatch(1);
    }

    /** Lets every waiting call (and every later one) through. */
    public void open() {
        CountDownLatch current = gate;
        gate = null;
        if (current != null) {
            current.countDown();
        }
    }

    /** Waits until {@code calls} calls in total have arrived at the closed gate. */
    public boolean awaitArrivals(int calls, Duration timeout) throws InterruptedException {
        return arrived.tryAcquire(calls, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The most calls that waited at the gate at the same time. */
    public int mostWaiting() {
        return mostWaiting.get();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        ServerCall.Listener<Q> listener = next.startCall(call, headers);
        if (!call.getMethodDescriptor().getFullMethodName().equals(fullMethodName)) {
            return listener;
        }
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onHalfClose() {
                CountDownLatch current = gate;
                if (current != null) {
                    mostWaiting.accumulateAndGet(waiting.incrementAndGet(), Math::max);
                    arrived.release();
                    try {
                        current.await(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        waiting.decrementAndGet();
                    }
                }
                super.onHalfClose();
            }
        };
    }
}
