package dev.sessiond.server.transport;

import static java.util.Objects.requireNonNull;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The production transport: a Netty gRPC server builder with TLS (when configured) and the
 * abuse limits of {@link TransportSettings} applied. Limits that grpc-java leaves unbounded by
 * default (connection age, rapid reset) get safe values here.
 */
public final class NettyTransport {

    /** How long calls may run on a connection closed for its age before they are cut off. */
    private static final Duration MAX_CONNECTION_AGE_GRACE = Duration.ofSeconds(30);

    private NettyTransport() {}

    /** A builder listening on {@code port} of every interface. */
    public static NettyServerBuilder serverBuilder(int port, TransportSettings settings) {
        return serverBuilder(new InetSocketAddress(port), settings);
    }

    /**
     * A builder listening on {@code address}.
     *
     * @throws dev.sessiond.server.config.ConfigException when the TLS files are unusable
     */
    public static NettyServerBuilder serverBuilder(SocketAddress address, TransportSettings settings) {
        requireNonNull(settings, "settings");
        ServerCredentials credentials = settings.tls()
                .map(TlsIdentity::serverCredentials)
                .orElseGet(InsecureServerCredentials::create);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(address, credentials)
                .maxInboundMessageSize(settings.maxMessageBytes())
                .maxInboundMetadataSize(settings.maxMetadataBytes())
                .maxConcurrentCallsPerConnection(settings.maxConcurrentCallsPerConnection())
                .keepAliveTime(settings.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(settings.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .permitKeepAliveTime(settings.permitKeepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                .permitKeepAliveWithoutCalls(false);
        settings.maxConnectionIdle().ifPresent(idle -> builder.maxConnectionIdle(idle.toNanos(), TimeUnit.NANOSECONDS));
        settings.maxConnectionAge().ifPresent(age -> builder
                .maxConnectionAge(age.toNanos(), TimeUnit.NANOSECONDS)
                .maxConnectionAgeGrace(MAX_CONNECTION_AGE_GRACE.toNanos(), TimeUnit.NANOSECONDS));
        if (settings.maxRstFrames() > 0) {
            // CVE-2023-44487: without this, a client may open and reset streams as fast as it can send them.
            long seconds = Math.max(1, (settings.rstFramesWindow().toMillis() + 999) / 1000);
            builder.maxRstFramesPerWindow(settings.maxRstFrames(), (int) Math.min(seconds, Integer.MAX_VALUE));
        }
        return builder;
    }
}
