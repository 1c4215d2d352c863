package dev.sessiond.server.api;

import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Runs a unary handler body and always ends the call: with its response, or with a mapped error. */
final class Rpc {

    private Rpc() {}

    static <T> void unary(StreamObserver<T> responses, Supplier<T> body) {
        T response;
        try {
            response = body.get();
        } catch (RuntimeException | Error e) {
            responses.onError(ErrorMapper.toStatusException(e));
            return;
        }
        responses.onNext(response);
        responses.onCompleted();
    }
}
