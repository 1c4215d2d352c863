package dev.sessiond.server.error;

/**
 * Why a request failed, as the domain sees it. The names are the {@code ErrorInfo.reason}
 * strings of SPEC §2; {@code api.ErrorMapper} decides the gRPC status that goes with each.
 */
public enum Reason {
    INVALID_CREDENTIALS,
    USER_BLOCKED,
    LOGIN_THROTTLED,
    TOKEN_MALFORMED,
    TOKEN_SIGNATURE_INVALID,
    SESSION_EXPIRED,
    SESSION_NOT_FOUND,
    SERVER_CODE_MISMATCH,
    INSTANCE_NAME_MISMATCH,
    CANT_REACTIVATE_SESSION,
    LICENSE_LIMIT_REACHED,
    PERMISSION_DENIED,
    INVALID_ARGUMENT,
    NOT_FOUND,
    ALREADY_EXISTS,
    STORE_UNAVAILABLE
}
