package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes unary calls on a channel that already carries {@link SessiondClientInterceptor}, with
 * per-view call options and a deadline per call, and turns every failure into a
 * {@link SessionException}. Immutable and thread-safe.
 */
final class Calls {

    private final Channel channel;
    private final CallOptions options;
    private final Duration deadline;

    Calls(Channel channel, CallOptions options, Duration deadline) {
        this.channel = requireNonNull(channel, "channel");
        this.options = requireNonNull(options, "options");
        this.deadline = requireNonNull(deadline, "deadline");
    }

    <T> Calls withOption(CallOptions.Key<T> key, T value) {
        return new Calls(channel, options.withOption(key, value), deadline);
    }

    Calls withDeadline(Duration value) {
        return new Calls(channel, options, value);
    }

    Duration deadline() {
        return deadline;
    }

    <Q, R> R blocking(MethodDescriptor<Q, R> method, Q request) {
        try {
            return ClientCalls.blockingUnaryCall(channel, method, callOptions(), request);
        } catch (RuntimeException e) {
            throw SessionException.from(e);
        }
    }

    <Q, R> CompletableFuture<R> async(MethodDescriptor<Q, R> method, Q request) {
        ClientCall<Q, R> call = channel.newCall(method, callOptions());
        CallFuture<R> result = new CallFuture<>(call);
        try {
            ClientCalls.asyncUnaryCall(call, request, new StreamObserver<>() {
                private R value;

                @Override
                public void onNext(R response) {
                    value = response;
                }

                @Override
                public void onError(Throwable failure) {
                    result.completeExceptionally(SessionException.from(failure));
                }

                @Override
                public void onCompleted() {
                    result.complete(value);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(SessionException.from(e));
        }
        return result;
    }

    private CallOptions callOptions() {
        return options.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A future whose cancellation cancels the call. */
    private static final class CallFuture<R> extends CompletableFuture<R> {
        private final ClientCall<?, R> call;

        CallFuture(ClientCall<?, R> call) {
            this.call = call;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                call.cancel("the caller cancelled the future", null);
            }
            return cancelled;
        }
    }
}
