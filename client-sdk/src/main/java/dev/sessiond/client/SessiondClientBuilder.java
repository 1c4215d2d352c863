package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Configures a {@link SessiondClient}. Where the server is: exactly one of {@link #target}
 * (the SDK builds the channel), {@link #channelBuilder} (the SDK finishes and builds yours) or
 * {@link #channel} (you own it; no retries from the SDK). Everything else has a default:
 *
 * <ul>
 *   <li>transport security: TLS with the JVM's trusted certificates ({@link #plaintext()} to turn it off);
 *   <li>deadline: 10 s per call;
 *   <li>retries: up to 3 attempts of idempotent calls that failed with {@code UNAVAILABLE};
 *   <li>application id: empty (sessiond then counts the client as "other");
 *   <li>token: none;
 *   <li>culture: the JVM's default locale for formatting, its display locale, the system zone's
 *       current offset and the local host name (SPEC §9), read at every call.
 * </ul>
 *
 * Not thread-safe; build once.
 */
public final class SessiondClientBuilder {

    private String target;
    private ManagedChannelBuilder<?> channelBuilder;
    private Channel channel;
    private ChannelCredentials credentials;
    private Duration deadline = Duration.ofSeconds(10);
    private int maxAttempts = 3;
    private String applicationId = "";
    private Supplier<String> token = () -> null;
    private Supplier<Locale> culture = JvmDefaults::culture;
    private Supplier<Locale> uiCulture = JvmDefaults::uiCulture;
    private Supplier<ZoneOffset> utcOffset = JvmDefaults::utcOffset;
    private Supplier<String> clientHost = JvmDefaults.localHostName();
    private Executor executor;

    SessiondClientBuilder() {}

    /** The server, as a gRPC target: {@code host:port}, {@code dns:///host:port}, ... */
    public SessiondClientBuilder target(String target) {
        this.target = requireNonNull(target, "target");
        return this;
    }

    /** A channel builder of your choosing (transport options, in-process, ...); the client builds and owns the channel. */
    public SessiondClientBuilder channelBuilder(ManagedChannelBuilder<?> channelBuilder) {
        this.channelBuilder = requireNonNull(channelBuilder, "channelBuilder");
        return this;
    }

    /** A channel you own and close yourself; the SDK adds its interceptor but configures no retries. */
    public SessiondClientBuilder channel(Channel channel) {
        this.channel = requireNonNull(channel, "channel");
        return this;
    }

    /** No transport security: for loopback, tests, or a service mesh that adds TLS. */
    public SessiondClientBuilder plaintext() {
        return credentials(InsecureChannelCredentials.create());
    }

    /** TLS, trusting the JVM's default certificate authorities (the default). */
    public SessiondClientBuilder tls() {
        return credentials(TlsChannelCredentials.create());
    }

    /** TLS, trusting the PEM certificates in {@code trustedCertificates} (e.g. a private CA). */
    public SessiondClientBuilder tls(Path trustedCertificates) {
        try {
            return credentials(TlsChannelCredentials.newBuilder().trustManager(trustedCertificates.toFile()).build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trusted certificates from " + trustedCertificates, e);
        }
    }

    /** Any channel credentials, e.g. TLS with a client certificate. Only with {@link #target}. */
    public SessiondClientBuilder credentials(ChannelCredentials credentials) {
        this.credentials = requireNonNull(credentials, "credentials");
        return this;
    }

    /** The deadline of each call (retries included). */
    public SessiondClientBuilder deadline(Duration deadline) {
        this.deadline = checkPositive("deadline", deadline);
        return this;
    }

    /**
     * How often an idempotent call is tried when it fails with {@code UNAVAILABLE}: 1 (no
     * retries) to 5. Ignored with {@link #channel}, whose configuration is yours.
     */
    public SessiondClientBuilder maxAttempts(int maxAttempts) {
        if (maxAttempts < 1 || maxAttempts > RetryConfig.MAX_ATTEMPTS) {
            throw new IllegalArgumentException(
                    "maxAttempts: " + maxAttempts + " (expected: 1 to " + RetryConfig.MAX_ATTEMPTS + ")");
        }
        this.maxAttempts = maxAttempts;
        return this;
    }

    /** The application id the flattened sign-in methods send, e.g. {@code desktop-client}. */
    public SessiondClientBuilder applicationId(String applicationId) {
        this.applicationId = requireNonNull(applicationId, "applicationId");
        return this;
    }

    /** The bearer token of every call (a view from {@link SessiondClient#withToken} can replace it). */
    public SessiondClientBuilder token(String token) {
        requireNonNull(token, "token");
        return tokenSupplier(() -> token);
    }

    /** Asked for the bearer token at every call; null or empty sends none. */
    public SessiondClientBuilder tokenSupplier(Supplier<String> token) {
        this.token = requireNonNull(token, "token");
        return this;
    }

    /** The culture (for formatting) of every call; null sends none. */
    public SessiondClientBuilder culture(Supplier<Locale> culture) {
        this.culture = requireNonNull(culture, "culture");
        return this;
    }

    /** The UI culture of every call; null sends none. */
    public SessiondClientBuilder uiCulture(Supplier<Locale> uiCulture) {
        this.uiCulture = requireNonNull(uiCulture, "uiCulture");
        return this;
    }

    /** The client's offset from UTC for every call; null sends none. */
    public SessiondClientBuilder utcOffset(Supplier<ZoneOffset> utcOffset) {
        this.utcOffset = requireNonNull(utcOffset, "utcOffset");
        return this;
    }

    /** The client machine's name for every call; null or blank sends none. */
    public SessiondClientBuilder clientHost(Supplier<String> clientHost) {
        this.clientHost = requireNonNull(clientHost, "clientHost");
        return this;
    }

    /** The executor for call callbacks and async results (default: gRPC's shared one). Not with {@link #channel}. */
    public SessiondClientBuilder executor(Executor executor) {
        this.executor = requireNonNull(executor, "executor");
        return this;
    }

    public SessiondClient build() {
        int sources = (target != null ? 1 : 0) + (channelBuilder != null ? 1 : 0) + (channel != null ? 1 : 0);
        if (sources != 1) {
            throw new IllegalStateException(
                    "exactly one of target, channelBuilder and channel must be set (got " + sources + ")");
        }
        if (credentials != null && target == null) {
            throw new IllegalStateException("credentials, tls() and plaintext() go with target(); "
                    + "configure security on your own channel builder or channel");
        }
        if (executor != null && channel != null) {
            throw new IllegalStateException("executor() does not apply to a channel you built yourself");
        }
        ManagedChannel owned = null;
        Channel base = channel;
        if (base == null) {
            ManagedChannelBuilder<?> builder = channelBuilder != null ? channelBuilder
                    : Grpc.newChannelBuilder(target, credentials != null ? credentials : TlsChannelCredentials.create());
            if (maxAttempts > 1) {
                builder.defaultServiceConfig(RetryConfig.serviceConfig(maxAttempts)).enableRetry();
            } else {
                builder.disableRetry();
            }
            // The retry policy is the SDK's: a service config published in DNS must not replace it.
            builder.disableServiceConfigLookUp();
            if (executor != null) {
                builder.executor(executor);
            }
            owned = builder.build();
            base = owned;
        }
        Supplier<ClientCulture> cultureSource = cultureSource(culture, uiCulture, utcOffset, clientHost);
        Supplier<String> tokenSource = token;
        var interceptor = new SessiondClientInterceptor(
                () -> Optional.ofNullable(tokenSource.get()).filter(t -> !t.isEmpty()), cultureSource);
        Calls calls = new Calls(ClientInterceptors.intercept(base, interceptor), CallOptions.DEFAULT, deadline);
        return new SessiondClient(owned, calls, applicationId, cultureSource);
    }

    static Supplier<ClientCulture> cultureSource(Supplier<Locale> culture, Supplier<Locale> uiCulture,
            Supplier<ZoneOffset> utcOffset, Supplier<String> clientHost) {
        return () -> new ClientCulture(
                Optional.ofNullable(culture.get()),
                Optional.ofNullable(uiCulture.get()),
                Optional.ofNullable(utcOffset.get()),
                Optional.ofNullable(clientHost.get()));
    }

    static Duration checkPositive(String name, Duration value) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
        return value;
    }
}
