package dev.sessiond.client;

/**
 * Kerberos failed on the client's side of {@link SessiondClient#openSessionWithKerberos}: the
 * client could not log in (no keytab key, no ticket cache or an expired ticket in it, KDC
 * unreachable, unknown client principal), could not get a ticket for sessiond's service
 * principal (e.g. unknown to the KDC), or sessiond's answer did not prove that it holds that
 * principal's key (mutual authentication), in which case the session it opened has been closed.
 * The cause is the JDK's {@code LoginException} or {@code GSSException}, when there is one.
 *
 * <p>A refusal by sessiond itself (a ticket it does not accept, an unknown user, a blocked
 * user, ...) is a {@link SessionException} instead, as for every other call.
 */
public final class KerberosException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    KerberosException(String message, Throwable cause) {
        super(message, cause);
    }
}
