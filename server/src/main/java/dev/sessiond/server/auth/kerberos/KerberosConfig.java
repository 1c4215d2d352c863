package dev.sessiond.server.auth.kerberos;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;

/**
 * Windows (Kerberos/SPNEGO) sign-in: the service's key and whose tickets it accepts.
 * Immutable.
 *
 * @param keytab the keytab holding the service principal's keys
 * @param servicePrincipal the service principal, with its realm, e.g.
 *     {@code HTTP/sessiond.corp.example.com@CORP.EXAMPLE.COM}
 * @param realmDomains the realms whose users may sign in (upper case), each with the domain
 *     its users belong to, e.g. {@code CORP.EXAMPLE.COM → CORP}; tickets of any other realm
 *     are refused
 */
public record KerberosConfig(Path keytab, String servicePrincipal, Map<String, String> realmDomains) {

    public KerberosConfig {
        requireNonNull(keytab, "keytab");
        requireNonNull(servicePrincipal, "servicePrincipal");
        realmDomains = Map.copyOf(realmDomains);
    }

    /** The realm of a principal name {@code name@REALM}; empty if it has none. */
    public static String realmOf(String principal) {
        int at = principal.lastIndexOf('@');
        return at < 0 ? "" : principal.substring(at + 1);
    }
}
