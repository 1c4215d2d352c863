package dev.sessiond.server.error;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A limit refused the request: no licence seat is free, the user has too many sessions, or
 * the login is throttled. Limit denials are never counted as failed logins.
 */
public final class LimitExceededException extends SessiondException {

    /** The ErrorInfo metadata key naming a session that could be deactivated to free a seat. */
    public static final String SESSION_ID_TO_DEACTIVATE = "session_id_to_deactivate";

    private final Map<String, String> metadata;
    private final Optional<Duration> retryAfter;

    private LimitExceededException(Reason reason, String message, Map<String, String> metadata,
            Optional<Duration> retryAfter) {
        super(reason, message, null);
        this.metadata = Map.copyOf(metadata);
        this.retryAfter = requireNonNull(retryAfter, "retryAfter");
    }

    /** No licence seat is free; {@code candidate} names a session that could be deactivated. */
    public static LimitExceededException licenseLimit(String message, Optional<String> candidate) {
        return new LimitExceededException(Reason.LICENSE_LIMIT_REACHED, message,
                candidate.map(id -> Map.of(SESSION_ID_TO_DEACTIVATE, id)).orElse(Map.of()), Optional.empty());
    }

    /** The login is locked for {@code retryAfter} after too many failures. */
    public static LimitExceededException loginThrottled(Duration retryAfter) {
        return new LimitExceededException(Reason.LOGIN_THROTTLED,
                "too many failed logins; retry after " + retryAfter.toSeconds() + " s", Map.of(),
                Optional.of(retryAfter));
    }

    /** The ErrorInfo metadata key that tells a busy server's refusal from a locked login. */
    public static final String CAUSE = "cause";
    /** The value of {@link #CAUSE} when the server is too busy checking other passwords. */
    public static final String SERVER_BUSY = "server_busy";

    /**
     * Too many sign-ins are being checked at once. Reported as LOGIN_THROTTLED (the contract's
     * reason for "too many logins; RetryInfo says when to retry", which clients already handle),
     * told apart from a locked login by {@code metadata["cause"] = "server_busy"}. It is not a
     * failed login and never counts towards a lockout.
     */
    public static LimitExceededException serverBusy(Duration retryAfter) {
        return new LimitExceededException(Reason.LOGIN_THROTTLED,
                "the server is checking too many sign-ins at once; retry after " + retryAfter.toMillis() + " ms",
                Map.of(CAUSE, SERVER_BUSY), Optional.of(retryAfter));
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    /** When the caller may retry, for {@code google.rpc.RetryInfo}. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
