package dev.sessiond.server.error;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The caller's credentials or the presented token do not identify an open session or a user. */
public final class AuthenticationException extends SessiondException {

    private static final Set<Reason> REASONS = EnumSet.of(
            Reason.INVALID_CREDENTIALS,
            Reason.TOKEN_MALFORMED,
            Reason.TOKEN_SIGNATURE_INVALID,
            Reason.SESSION_EXPIRED,
            Reason.SESSION_NOT_FOUND,
            Reason.SERVER_CODE_MISMATCH,
            Reason.INSTANCE_NAME_MISMATCH);

    /** The ErrorInfo metadata key telling which token failed, when it is not the one in the request. */
    public static final String TOKEN = "token";

    private final Map<String, String> metadata;

    public AuthenticationException(Reason reason, String message) {
        this(reason, message, Map.of());
    }

    private AuthenticationException(Reason reason, String message, Map<String, String> metadata) {
        super(checked(reason), message, null);
        this.metadata = Map.copyOf(metadata);
    }

    /**
     * The same failure, marked as being about the caller's own token (the {@code authorization}
     * metadata) rather than a token in the request, so that a service validating someone else's
     * token can tell "that token is bad" from "my own session is gone".
     */
    public AuthenticationException ofCaller() {
        String message = getMessage().startsWith("authorization:") ? getMessage() : "authorization: " + getMessage();
        return new AuthenticationException(reason(), message, Map.of(TOKEN, "authorization"));
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    private static Reason checked(Reason reason) {
        if (!REASONS.contains(reason)) {
            throw new IllegalArgumentException("not an authentication reason: " + reason);
        }
        return reason;
    }

    public static AuthenticationException invalidCredentials() {
        return new AuthenticationException(Reason.INVALID_CREDENTIALS, "login or password is wrong");
    }
}
