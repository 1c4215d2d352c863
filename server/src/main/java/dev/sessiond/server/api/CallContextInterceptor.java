package dev.sessiond.server.api;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/** Captures each call's {@link CallInfo} into the gRPC {@link Context}. Stateless and thread-safe. */
public final class CallContextInterceptor implements ServerInterceptor {

    static final Context.Key<CallInfo> CALL = Context.key("sessiond-call");

    /** The current call's facts; only valid inside a call that passed this interceptor. */
    static CallInfo current() {
        CallInfo info = CALL.get();
        if (info == null) {
            throw new IllegalStateException("CallContextInterceptor is not installed");
        }
        return info;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        var attributes = call.getAttributes();
        SocketAddress remote = attributes.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String peer = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : "";
        String transport = attributes.get(Grpc.TRANSPORT_ATTR_SSL_SESSION) != null ? "grpc+tls" : "grpc";
        CallInfo info = new CallInfo(
                Optional.ofNullable(headers.get(CallMetadata.AUTHORIZATION)),
                Optional.ofNullable(headers.get(CallMetadata.CULTURE)),
                Optional.ofNullable(headers.get(CallMetadata.UI_CULTURE)),
                Optional.ofNullable(headers.get(CallMetadata.UTC_OFFSET)),
                Optional.ofNullable(headers.get(CallMetadata.CLIENT_HOST)),
                peer,
                transport);
        return Contexts.interceptCall(Context.current().withValue(CALL, info), call, headers, next);
    }
}
