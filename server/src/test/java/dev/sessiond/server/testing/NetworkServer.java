package dev.sessiond.server.testing;

import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.SessionClientServiceGrpc;
import dev.sessiond.server.SessiondServer;
import dev.sessiond.server.auth.PasswordHasher;
import dev.sessiond.server.config.Config;
import dev.sessiond.server.config.ConfigLoader;
import dev.sessiond.server.transport.NettyTransport;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerInterceptor;
import io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real sessiond on the production transport ({@link NettyTransport}: TLS, limits) on a free
 * port of 127.0.0.1, over its own test database, for the tests that need real connections:
 * TLS, transport limits, graceful shutdown. Channels it hands out are closed with it.
 */
public final class NetworkServer implements AutoCloseable {

    public final Config config;
    public final MutableClock clock = MutableClock.atSomeFixedInstant();
    private final SessiondServer server;
    private final TestDatabase.Store store;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private boolean closed;

    private NetworkServer(Config config, TestDatabase.Store store, PasswordHasher.Cost cost,
            Consumer<NettyServerBuilder> customize) {
        this.config = config;
        this.store = store;
        NettyServerBuilder builder = NettyTransport.serverBuilder(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), config.transport());
        customize.accept(builder);
        server = new SessiondServer(config, builder, clock, cost,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            server.start();
        } catch (IOException e) {
            store.drop().run();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            store.drop().run();
            throw e;
        }
    }

    /** A server with its data under {@code dir}, the given settings, cheap hashing and no extra interceptors. */
    public static NetworkServer start(Path dir, Map<String, String> settings) {
        return start(dir, settings, TestServer.TEST_COST, builder -> {});
    }

    /** A server as {@link #start(Path, Map)}, with {@code interceptor} on its calls (e.g. a {@link CallGate}). */
    public static NetworkServer start(Path dir, Map<String, String> settings, ServerInterceptor interceptor) {
        return start(dir, settings, TestServer.TEST_COST, builder -> builder.intercept(interceptor));
    }

    /**
     * @param cost the Argon2id cost (the real one for tests of hashing under load)
     * @param customize changes to the server builder before sessiond adds its services (test interceptors)
     */
    public static NetworkServer start(Path dir, Map<String, String> settings, PasswordHasher.Cost cost,
            Consumer<NettyServerBuilder> customize) {
        TestDatabase.Store store = TestDatabase.create();
        Map<String, String> env = new HashMap<>();
        env.put("SESSIOND_DATA_DIR", dir.resolve("data").toString());
        env.put("SESSIOND_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD);
        env.put("SESSIOND_METRICS_PORT", "0");
        env.put("SESSIOND_DB_URL", store.url());
        env.put("SESSIOND_DB_USER", store.user());
        env.put("SESSIOND_DB_PASSWORD", store.password());
        env.putAll(settings);
        return new NetworkServer(ConfigLoader.load(env), store, cost, customize);
    }

    public int port() {
        return server.port();
    }

    public int metricsPort() {
        return server.metricsPort();
    }

    /** A new plaintext channel to the server, closed with it. */
    public ManagedChannel channel() {
        return channel(InsecureChannelCredentials.create());
    }

    /** A new channel with {@code credentials} to {@code localhost} (the name in the test certificates). */
    public synchronized ManagedChannel channel(ChannelCredentials credentials) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", port(), credentials).build();
        channels.add(channel);
        return channel;
    }

    /** Signs in as the first administrator over {@code channel}. */
    public static OpenSessionResponse adminLogin(ManagedChannel channel) {
        return SessionClientServiceGrpc.newBlockingStub(channel).openSession(OpenSessionRequest.newBuilder()
                .setLogin("admin").setPassword(TestServer.ADMIN_PASSWORD).setApplicationId("admin-console").build());
    }

    /** Starts the graceful shutdown, as SIGTERM does; returns when the server has stopped. */
    public void shutdown() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        server.close();
    }

    @Override
    public void close() {
        List<ManagedChannel> open;
        synchronized (this) {
            open = List.copyOf(channels);
        }
        for (ManagedChannel channel : open) {
            channel.shutdownNow();
        }
        for (ManagedChannel channel : open) {
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        shutdown();
        store.drop().run();
    }
}
