package dev.sessiond.server.error;

/** The database cannot be reached; the call may be retried. */
public final class StoreUnavailableException extends SessiondException {

    public StoreUnavailableException(Throwable cause) {
        super(Reason.STORE_UNAVAILABLE, "the session store is unavailable; retry later", cause);
    }
}
