package dev.sessiond.server.transport;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the gRPC port is served: TLS, and the limits that keep one client from exhausting the
 * server (message and metadata sizes, calls per connection, keep-alive, HTTP/2 rapid reset).
 *
 * @param tls the certificate files; empty = plaintext
 * @param maxMessageBytes the largest request message accepted (RESOURCE_EXHAUSTED beyond)
 * @param maxMetadataBytes the most request metadata (headers) accepted per call
 * @param maxConcurrentCallsPerConnection HTTP/2 MAX_CONCURRENT_STREAMS: calls one connection may run at once
 * @param keepAliveTime how long a connection may be silent before the server pings the client
 * @param keepAliveTimeout how long the server waits for that ping's answer before closing the connection
 * @param permitKeepAliveTime the shortest interval at which clients may ping; more often is answered with
 *     GOAWAY (ENHANCE_YOUR_CALM, "too_many_pings")
 * @param maxConnectionIdle a connection without calls for this long is closed gracefully; empty = never
 * @param maxConnectionAge a connection is closed gracefully after this long, so clients reconnect and spread
 *     over replicas; empty = never
 * @param maxRstFrames HTTP/2 rapid-reset protection: a connection whose client resets more streams than this
 *     within {@code rstFramesWindow} is closed (ENHANCE_YOUR_CALM); 0 = no limit
 * @param rstFramesWindow the window of {@code maxRstFrames}
 */
public record TransportSettings(
        Optional<TlsFiles> tls,
        int maxMessageBytes,
        int maxMetadataBytes,
        int maxConcurrentCallsPerConnection,
        Duration keepAliveTime,
        Duration keepAliveTimeout,
        Duration permitKeepAliveTime,
        Optional<Duration> maxConnectionIdle,
        Optional<Duration> maxConnectionAge,
        int maxRstFrames,
        Duration rstFramesWindow) {

    /** The defaults: plaintext, 64 KiB messages, 8 KiB metadata, 100 calls per connection. */
    public static final TransportSettings DEFAULTS = new TransportSettings(Optional.empty(), 64 * 1024, 8 * 1024, 100,
            Duration.ofMinutes(5), Duration.ofSeconds(20), Duration.ofMinutes(1), Optional.empty(), Optional.empty(),
            200, Duration.ofSeconds(30));

    public TransportSettings {
        requireNonNull(tls, "tls");
        requireNonNull(keepAliveTime, "keepAliveTime");
        requireNonNull(keepAliveTimeout, "keepAliveTimeout");
        requireNonNull(permitKeepAliveTime, "permitKeepAliveTime");
        requireNonNull(maxConnectionIdle, "maxConnectionIdle");
        requireNonNull(maxConnectionAge, "maxConnectionAge");
        requireNonNull(rstFramesWindow, "rstFramesWindow");
        if (maxMessageBytes < 1 || maxMetadataBytes < 1 || maxConcurrentCallsPerConnection < 1 || maxRstFrames < 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxMessageBytes + "/" + maxMetadataBytes
                    + "/" + maxConcurrentCallsPerConnection + "/" + maxRstFrames);
        }
    }

    /**
     * The PEM files of the server's TLS identity.
     *
     * @param certificateChain the server certificate, then its intermediates ({@code SESSIOND_TLS_CERT})
     * @param privateKey the certificate's unencrypted PKCS#8 private key ({@code SESSIOND_TLS_KEY})
     * @param clientCa when present, clients must present a certificate issued by one of these CAs
     *     ({@code SESSIOND_TLS_CLIENT_CA}, mutual TLS)
     */
    public record TlsFiles(Path certificateChain, Path privateKey, Optional<Path> clientCa) {
        public TlsFiles {
            requireNonNull(certificateChain, "certificateChain");
            requireNonNull(privateKey, "privateKey");
            requireNonNull(clientCa, "clientCa");
        }
    }
}
