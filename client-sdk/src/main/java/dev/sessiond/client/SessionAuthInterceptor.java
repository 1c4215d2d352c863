package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.sessiond.proto.v1.ErrorReason;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protects another service's gRPC server with sessiond tokens (the {@code ApplyTokenParameters}
 * seed): each call must carry {@code authorization: Bearer <token>} of an open session. The
 * token is validated with {@code ValidateAndGetSession}, using the credentials of the
 * {@link SessiondClient} given to the builder, which must be a service account's or an
 * administrator's. The handler then finds the session and the call's culture in
 * {@link SessionContext#current()}.
 *
 * <pre>{@code
 * SessionAuthInterceptor auth = SessionAuthInterceptor.builder(sessiond.withToken(serviceToken)).build();
 * Server server = ServerBuilder.forPort(8443)
 *         .addService(ServerInterceptors.intercept(new OrdersService(), auth))
 *         .build();
 * }</pre>
 *
 * <ul>
 *   <li>A valid token is remembered for {@link Builder#positiveCacheTtl} (default 5 s), a refused
 *       one for {@link Builder#negativeCacheTtl} (default 1 s): a session closed on sessiond may
 *       still pass here for up to the positive time.
 *   <li>A missing, malformed or refused token ends the call with {@code UNAUTHENTICATED} and a
 *       {@code google.rpc.ErrorInfo} (domain {@code sessiond}) naming the reason, so that clients
 *       read it as they read sessiond's own errors.
 *   <li>When sessiond cannot answer, the call ends with {@code UNAVAILABLE} (retryable, not
 *       remembered); when it refuses this service's own credentials (its session ended, or it
 *       lacks the role — sessiond marks such answers with {@code ErrorInfo.metadata["token"] =
 *       "authorization"}), with {@code INTERNAL} and an error in the log, and nothing is
 *       remembered about the caller's token.
 *   <li>Validation runs on the thread that starts the call, once per token and cache period.
 * </ul>
 *
 * Thread-safe.
 */
public final class SessionAuthInterceptor implements ServerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(SessionAuthInterceptor.class);

    /** Failures after which sessiond may well answer a moment later. */
    private static final Set<Status.Code> TRANSIENT = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED, Status.Code.CANCELLED);

    private final TokenCache cache;

    private SessionAuthInterceptor(Builder builder) {
        // No culture on the validation call: the session must come back with the culture it stored.
        SessiondClient validator = builder.validator.withCulture(ClientCulture.NONE);
        this.cache = new TokenCache(
                token -> validator.server().validateAndGetSession(token).getSession(),
                builder.positiveCacheTtl, builder.negativeCacheTtl, builder.maxCacheEntries, builder.clock);
    }

    /**
     * @param validator a client whose token belongs to a service account or administrator
     *     (e.g. {@code sessiond.withToken(lease.token())} with a {@link SessionLease} the service holds)
     */
    public static Builder builder(SessiondClient validator) {
        return new Builder(validator);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Optional<String> token = bearerToken(headers.get(SessiondMetadata.AUTHORIZATION));
        if (token.isEmpty()) {
            return reject(call, Status.Code.UNAUTHENTICATED, ErrorReason.TOKEN_MALFORMED.name(),
                    headers.containsKey(SessiondMetadata.AUTHORIZATION)
                            ? "authorization: not a bearer token (expected: 'Bearer <token>')"
                            : "authorization: missing (expected: 'Bearer <token>' of a sessiond session)");
        }
        TokenCache.Outcome outcome;
        try {
            outcome = cache.get(token.get());
        } catch (SessionException e) {
            if (TRANSIENT.contains(e.code())) {
                log.warn("cannot validate a session token now: {}", e.getMessage());
                return reject(call, Status.Code.UNAVAILABLE, "", "cannot validate the session token now: " + e.getMessage());
            }
            log.error("cannot validate session tokens: sessiond refused this service's request: {}", e.getMessage());
            return reject(call, Status.Code.INTERNAL, "", "this service cannot validate session tokens");
        }
        return switch (outcome) {
            case TokenCache.Refused refused -> {
                log.debug("refused a call to {}: {}", call.getMethodDescriptor().getFullMethodName(),
                        refused.why().getMessage());
                yield reject(call, Status.Code.UNAUTHENTICATED, refused.why().reasonName(),
                        "the session token was refused: " + refused.why().getMessage());
            }
            case TokenCache.Valid valid -> {
                SessionContext session = SessionContext.of(valid.session(), token.get(), ClientCulture.fromMetadata(headers));
                Context context = Context.current().withValue(SessionContext.KEY, session);
                yield Contexts.interceptCall(context, call, headers, next);
            }
        };
    }

    /** The token of {@code Bearer <token>} (the scheme in any case); empty when absent or not a bearer token. */
    static Optional<String> bearerToken(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
            return Optional.empty();
        }
        String token = value.substring(space + 1).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static <Q, R> ServerCall.Listener<Q> reject(ServerCall<Q, R> call, Status.Code code, String reason,
            String message) {
        var status = com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(message);
        if (!reason.isEmpty()) {
            status.addDetails(Any.pack(ErrorInfo.newBuilder()
                    .setDomain(SessiondMetadata.ERROR_DOMAIN).setReason(reason).build()));
        }
        StatusRuntimeException e = StatusProto.toStatusRuntimeException(status.build());
        call.close(e.getStatus(), e.getTrailers());
        return new ServerCall.Listener<>() {};
    }

    /** Configures a {@link SessionAuthInterceptor}. Not thread-safe. */
    public static final class Builder {
        private final SessiondClient validator;
        private Duration positiveCacheTtl = Duration.ofSeconds(5);
        private Duration negativeCacheTtl = Duration.ofSeconds(1);
        private int maxCacheEntries = 10_000;
        private Clock clock = Clock.systemUTC();

        private Builder(SessiondClient validator) {
            this.validator = requireNonNull(validator, "validator");
        }

        /** How long a valid token is accepted without asking sessiond again (default 5 s; zero = always ask). */
        public Builder positiveCacheTtl(Duration ttl) {
            this.positiveCacheTtl = notNegative("positiveCacheTtl", ttl);
            return this;
        }

        /** How long a refused token is refused without asking sessiond again (default 1 s; zero = always ask). */
        public Builder negativeCacheTtl(Duration ttl) {
            this.negativeCacheTtl = notNegative("negativeCacheTtl", ttl);
            return this;
        }

        /** How many tokens the cache holds at most (default 10 000). */
        public Builder maxCacheEntries(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxCacheEntries: " + max + " (expected: >= 1)");
            }
            this.maxCacheEntries = max;
            return this;
        }

        /** The clock the cache times are measured with (for tests). */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** @throws IllegalStateException if the negative time is longer than the positive one */
        public SessionAuthInterceptor build() {
            if (negativeCacheTtl.compareTo(positiveCacheTtl) > 0) {
                throw new IllegalStateException("negativeCacheTtl " + negativeCacheTtl
                        + " is longer than positiveCacheTtl " + positiveCacheTtl + " (expected: shorter or equal)");
            }
            return new SessionAuthInterceptor(this);
        }

        private static Duration notNegative(String name, Duration value) {
            requireNonNull(value, name);
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
            }
            return value;
        }
    }
}
