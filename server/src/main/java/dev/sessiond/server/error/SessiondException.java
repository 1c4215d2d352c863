package dev.sessiond.server.error;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A failure the caller can act on. Each subclass is one family of failures; {@link #reason()}
 * is the precise reason. The message is meant for the caller: it says what was wrong and what
 * was expected, and never contains a token or a password.
 */
public abstract sealed class SessiondException extends RuntimeException
        permits InvalidArgumentException,
                AuthenticationException,
                AccessDeniedException,
                NotFoundException,
                AlreadyExistsException,
                StoreUnavailableException,
                LimitExceededException,
                SessionStateException,
                DirectoryUnavailableException,
                NotImplementedException {

    private final Reason reason;

    SessiondException(Reason reason, String message, Throwable cause) {
        super(requireNonNull(message, "message"), cause, false, false);
        this.reason = reason;
    }

    /**
     * The reason reported in {@code ErrorInfo.reason}; {@code null} only for
     * {@link NotImplementedException}, which has no reason of its own in the contract.
     */
    public Reason reason() {
        return reason;
    }

    /** Extra {@code ErrorInfo.metadata} entries. */
    public Map<String, String> metadata() {
        return Map.of();
    }
}
