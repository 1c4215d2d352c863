package dev.sessiond.server.ops;

import com.google.rpc.ErrorInfo;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DEBUG line per call: method, status, ErrorInfo reason, duration and peer address — never
 * metadata or messages, so never a token or a password. Costs nothing unless DEBUG is on for
 * the logger {@code dev.sessiond.server.ops.RpcLogInterceptor}. Stateless and thread-safe.
 */
public final class RpcLogInterceptor implements ServerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(RpcLogInterceptor.class);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (!log.isDebugEnabled()) {
            return next.startCall(call, headers);
        }
        long start = System.nanoTime();
        String method = call.getMethodDescriptor().getFullMethodName();
        String peer = peer(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        AtomicBoolean logged = new AtomicBoolean();
        ServerCall<Q, R> logging = new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                if (logged.compareAndSet(false, true)) {
                    log.debug("rpc {} {}{} {} ms peer={}", method, status.getCode(), reason(status, trailers),
                            millis(start), peer);
                }
                super.close(status, trailers);
            }
        };
        return new SimpleForwardingServerCallListener<>(next.startCall(logging, headers)) {
            @Override
            public void onCancel() {
                if (logged.compareAndSet(false, true)) {
                    log.debug("rpc {} CANCELLED by the client {} ms peer={}", method, millis(start), peer);
                }
                super.onCancel();
            }
        };
    }

    private static String reason(Status status, Metadata trailers) {
        if (status.isOk()) {
            return "";
        }
        com.google.rpc.Status rich = StatusProto.fromStatusAndTrailers(status, trailers);
        return rich.getDetailsList().stream()
                .filter(any -> any.is(ErrorInfo.class))
                .findFirst()
                .map(any -> {
                    try {
                        return " " + any.unpack(ErrorInfo.class).getReason();
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        return "";
                    }
                })
                .orElse("");
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String peer(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return remote == null ? "-" : remote.toString();
    }
}
