package dev.sessiond.server.error;

/** The RPC belongs to a capability this server does not provide yet; the message names it. */
public final class NotImplementedException extends SessiondException {

    public NotImplementedException(String capability) {
        super(null, capability + " is not implemented by this sessiond server yet", null);
    }
}
