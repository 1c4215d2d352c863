package dev.sessiond.server.auth.kerberos;

import static java.util.Objects.requireNonNull;

/**
 * A Kerberos ticket the service's key has validated.
 *
 * @param principal the client principal, {@code name@REALM}
 * @param responseToken the token to hand back to the client's security context (mutual
 *     authentication); empty when the client did not ask for it
 */
public record AcceptedTicket(String principal, byte[] responseToken) {

    public AcceptedTicket {
        requireNonNull(principal, "principal");
        requireNonNull(responseToken, "responseToken");
    }

    /** The principal's name without its realm ({@code alice} for {@code alice@CORP.EXAMPLE.COM}). */
    public String name() {
        int at = principal.lastIndexOf('@');
        return at < 0 ? principal : principal.substring(0, at);
    }

    /** The principal's realm. */
    public String realm() {
        return KerberosConfig.realmOf(principal);
    }

    @Override
    public String toString() {
        return "AcceptedTicket[" + principal + "]";
    }
}
