package dev.sessiond.server.api;

import dev.sessiond.server.store.NonBlocking;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/** Runs a unary handler body and always ends the call: with its response, or with a mapped error. */
final class Rpc {

    private Rpc() {}

    /**
     * Runs {@code body} and answers with what it returns or throws. A body run on the transport's
     * thread (see {@link CallExecutors}) that turns out to need to wait (for the store, say) is
     * started again from the beginning on a thread that may wait.
     */
    static <T> void unary(StreamObserver<T> responses, Supplier<T> body) {
        T response;
        try {
            response = body.get();
        } catch (NonBlocking.WouldWait e) {
            try {
                NonBlocking.runWhereMayWait(Context.current().wrap(() -> unary(responses, body)));
            } catch (RejectedExecutionException rejected) {
                responses.onError(Status.UNAVAILABLE.withDescription("the server is shutting down").asRuntimeException());
            }
            return;
        } catch (RuntimeException | Error e) {
            responses.onError(ErrorMapper.toStatusException(e));
            return;
        }
        responses.onNext(response);
        responses.onCompleted();
    }
}
