package dev.sessiond.server.error;

import java.util.EnumSet;
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

    public AuthenticationException(Reason reason, String message) {
        super(checked(reason), message, null);
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
