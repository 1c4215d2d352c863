package dev.sessiond.server.error;

/** The caller is known but may not do this: the RPC needs another role, or the user is blocked. */
public final class AccessDeniedException extends SessiondException {

    private AccessDeniedException(Reason reason, String message) {
        super(reason, message, null);
    }

    public static AccessDeniedException missingRole(String message) {
        return new AccessDeniedException(Reason.PERMISSION_DENIED, message);
    }

    public static AccessDeniedException userBlocked() {
        return new AccessDeniedException(Reason.USER_BLOCKED, "the user is blocked");
    }
}
