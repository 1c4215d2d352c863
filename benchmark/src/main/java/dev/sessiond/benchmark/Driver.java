package dev.sessiond.benchmark;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The load generator's side of the wire: a few plaintext HTTP/2 connections (grpc-netty, the
 * transport the server uses) to the server under test, and unary calls on them.
 *
 * <p>Load calls carry requests encoded once, before the pass, and hand back the response bytes
 * undecoded: like h2load with pre-encoded frames, the driver spends its share of the two cores
 * on the wire, not on protobuf, and each call still is a real gRPC call with real metadata.
 * Completions run on the Netty event loop ({@code directExecutor}), which starts the next call
 * at once. Thread-safe.
 */
final class Driver implements AutoCloseable {

    /** Passes bytes through: the requests are encoded already, the responses are read only where needed. */
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<byte[]> STATUS_DETAILS =
            Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);
    /** Completions that fail before reaching the wire run synchronously; past this depth they hop threads. */
    private static final int MAX_SYNC_DEPTH = 16;
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final List<ManagedChannel> channels = new ArrayList<>();
    private final AtomicLong nextChannel = new AtomicLong();
    private final ExecutorService hop = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "driver-hop");
        t.setDaemon(true);
        return t;
    });

    Driver(int port, int connections) {
        for (int i = 0; i < connections; i++) {
            channels.add(NettyChannelBuilder.forAddress("127.0.0.1", port)
                    .usePlaintext()
                    .directExecutor()
                    .maxInboundMessageSize(16 << 20)
                    .build());
        }
    }

    /** A method taking and returning bytes, named like the generated descriptor it stands for. */
    static MethodDescriptor<byte[], byte[]> method(MethodDescriptor<?, ?> generated) {
        return method(generated.getFullMethodName());
    }

    static MethodDescriptor<byte[], byte[]> method(String fullMethodName) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(fullMethodName)
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
    }

    /** {@code authorization: Bearer <token>}; no metadata for an empty token. */
    static Metadata bearer(String token) {
        Metadata headers = new Metadata();
        if (!token.isEmpty()) {
            headers.put(AUTHORIZATION, "Bearer " + token);
        }
        return headers;
    }

    /** A channel for typed setup calls with generated stubs, carrying {@code token} (may be empty). */
    Channel typed(String token) {
        return ClientInterceptors.intercept(channels.get(0), MetadataUtils.newAttachHeadersInterceptor(bearer(token)));
    }

    /**
     * Starts one unary call; {@code done} gets its outcome exactly once, on a Netty thread.
     *
     * @param headers copied, never changed
     */
    void call(MethodDescriptor<byte[], byte[]> method, byte[] request, Metadata headers, long deadlineMillis,
            Consumer<Outcome> done) {
        Channel channel = channels.get((int) (nextChannel.getAndIncrement() % channels.size()));
        ClientCall<byte[], byte[]> call = channel.newCall(method,
                CallOptions.DEFAULT.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS));
        Metadata copy = new Metadata();
        copy.merge(headers);
        call.start(new ClientCall.Listener<>() {
            private byte[] response;

            @Override
            public void onMessage(byte[] message) {
                response = message;
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                Outcome outcome = new Outcome(status.getCode(), status.isOk() ? "" : reason(trailers),
                        status.isOk() ? response : null);
                int[] depth = DEPTH.get();
                if (depth[0] >= MAX_SYNC_DEPTH) {
                    hop.execute(() -> done.accept(outcome));
                    return;
                }
                depth[0]++;
                try {
                    done.accept(outcome);
                } finally {
                    depth[0]--;
                }
            }
        }, copy);
        call.request(1);
        call.sendMessage(request);
        call.halfClose();
    }

    /** The sessiond ErrorInfo reason in the trailers, empty when there is none. */
    private static String reason(Metadata trailers) {
        byte[] details = trailers.get(STATUS_DETAILS);
        if (details == null) {
            return "";
        }
        try {
            for (Any detail : com.google.rpc.Status.parseFrom(details).getDetailsList()) {
                if (detail.is(ErrorInfo.class)) {
                    return detail.unpack(ErrorInfo.class).getReason();
                }
            }
        } catch (InvalidProtocolBufferException e) {
            return "UNREADABLE_DETAILS";
        }
        return "";
    }

    @Override
    public void close() {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow();
        }
        for (ManagedChannel channel : channels) {
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        hop.shutdownNow();
    }
}
