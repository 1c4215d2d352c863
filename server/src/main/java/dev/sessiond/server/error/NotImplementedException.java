package dev.sessiond.server.error;

/**
 * The RPC belongs to a capability this server does not provide yet, or is not configured
 * for; the message names it (and the settings that turn it on).
 */
public final class NotImplementedException extends SessiondException {

    public NotImplementedException(String capability) {
        super(null, capability + " is not implemented by this sessiond server yet", null);
    }

    private NotImplementedException(String capability, String settings) {
        super(null, capability + " is not configured on this sessiond server (see " + settings + ")", null);
    }

    /** The capability exists but this server is not configured for it. */
    public static NotImplementedException notConfigured(String capability, String settings) {
        return new NotImplementedException(capability, settings);
    }
}
