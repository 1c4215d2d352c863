package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds {@code authorization: Bearer <token>} and the four {@code sessiond-client-*} culture keys
 * to every call (SPEC §2). {@link SessiondClient} installs one on its channel; code that uses
 * the generated stubs directly can install one itself:
 *
 * <pre>{@code
 * Channel channel = ClientInterceptors.intercept(managedChannel,
 *         new SessiondClientInterceptor(() -> Optional.of(token), () -> ClientCulture.NONE.withCulture(Locale.GERMANY)));
 * }</pre>
 *
 * <p>One call can replace the token or the culture through the {@link CallOptions} keys
 * {@link #TOKEN} and {@link #CULTURE} (e.g. {@code stub.withOption(SessiondClientInterceptor.CULTURE, c)});
 * {@link SessiondClient#withToken} and {@link SessiondClient#withCulture} do just that. Metadata
 * the call set itself is never overwritten. Stateless and thread-safe, given thread-safe suppliers.
 */
public final class SessiondClientInterceptor implements ClientInterceptor {

    /** A call option replacing the bearer token for one call; an empty string sends none. */
    public static final CallOptions.Key<String> TOKEN = CallOptions.Key.create("sessiond-token");

    /** A call option replacing the whole culture for one call ({@link ClientCulture#NONE} sends none). */
    public static final CallOptions.Key<ClientCulture> CULTURE = CallOptions.Key.create("sessiond-culture");

    private static final Logger log = LoggerFactory.getLogger(SessiondClientInterceptor.class);

    private final Supplier<Optional<String>> token;
    private final Supplier<ClientCulture> culture;

    /**
     * @param token the bearer token for calls without a {@link #TOKEN} option; asked at every call
     * @param culture the culture for calls without a {@link #CULTURE} option; asked at every call
     */
    public SessiondClientInterceptor(Supplier<Optional<String>> token, Supplier<ClientCulture> culture) {
        this.token = requireNonNull(token, "token");
        this.culture = requireNonNull(culture, "culture");
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> responseListener, Metadata headers) {
                String bearer = options.getOption(TOKEN);
                Optional<String> callToken = bearer != null ? Optional.of(bearer) : token.get();
                callToken.filter(t -> !t.isEmpty())
                        .filter(t -> !headers.containsKey(SessiondMetadata.AUTHORIZATION))
                        .ifPresent(t -> headers.put(SessiondMetadata.AUTHORIZATION, SessiondMetadata.BEARER_PREFIX + t));
                ClientCulture callCulture = options.getOption(CULTURE);
                cultureOr(callCulture).writeTo(headers);
                super.start(responseListener, headers);
            }
        };
    }

    /** The call's own culture, else the supplied one; a failing supplier costs the culture, not the call. */
    private ClientCulture cultureOr(ClientCulture callCulture) {
        if (callCulture != null) {
            return callCulture;
        }
        try {
            return requireNonNull(culture.get(), "the culture supplier returned null");
        } catch (RuntimeException e) {
            log.warn("sending no culture metadata: the culture supplier failed: {}", e.toString());
            return ClientCulture.NONE;
        }
    }
}
