package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.security.auth.Subject;

/**
 * How {@link SessiondClient#openSessionWithKerberos} signs in with Kerberos: sessiond's service
 * principal, where the client's Kerberos credentials come from, and the mechanism of the token.
 *
 * <pre>{@code
 * // a service account with a keytab of its own
 * KerberosLogin login = KerberosLogin.keytab("HTTP/sessiond.corp.example.com@CORP.EXAMPLE.COM",
 *         Path.of("/etc/orders/svc-orders.keytab"), "svc-orders@CORP.EXAMPLE.COM");
 * // a user who ran kinit
 * KerberosLogin login = KerberosLogin.ticketCache("HTTP@sessiond.corp.example.com");
 * }</pre>
 *
 * <p>The JVM finds the KDC through its Kerberos configuration, which is JVM-wide: the file
 * named by the system property {@code java.security.krb5.conf}, else the platform's
 * ({@code /etc/krb5.conf}; {@code krb5.ini} in the Windows directory). Immutable, except for a
 * {@link LoggedInSubject}'s {@code Subject}, which is the caller's.
 *
 * @param servicePrincipal sessiond's service principal: a Kerberos principal name
 *     {@code HTTP/sessiond.corp.example.com@CORP.EXAMPLE.COM} (the realm may be left out for the
 *     default realm), or a host-based service name {@code HTTP@sessiond.corp.example.com}
 *     (whatever has no {@code /}), whose realm the JVM's Kerberos configuration decides
 * @param credentials where the client's own Kerberos credentials come from
 * @param mechanism the token's mechanism; sessiond accepts both
 */
public record KerberosLogin(String servicePrincipal, Credentials credentials, Mechanism mechanism) {

    public KerberosLogin {
        requireNonNull(servicePrincipal, "servicePrincipal");
        requireNonNull(credentials, "credentials");
        requireNonNull(mechanism, "mechanism");
        if (servicePrincipal.isBlank() || servicePrincipal.startsWith("@") || servicePrincipal.endsWith("@")) {
            throw new IllegalArgumentException("servicePrincipal: '" + servicePrincipal
                    + "' (expected: HTTP/host@REALM, or HTTP@host)");
        }
    }

    /**
     * Signs in as {@code principal} with its key from {@code keytab}, for a service account
     * that has a keytab of its own. Each sign-in asks the KDC for a ticket afresh.
     *
     * @param principal the client principal, e.g. {@code svc-orders@CORP.EXAMPLE.COM}
     */
    public static KerberosLogin keytab(String servicePrincipal, Path keytab, String principal) {
        return new KerberosLogin(servicePrincipal, new Keytab(keytab, principal), Mechanism.SPNEGO);
    }

    /**
     * Signs in with the ticket-granting ticket in the default ticket cache: the file named by
     * {@code KRB5CCNAME}, else {@code /tmp/krb5cc_<uid>}. The JDK reads file caches only, not
     * {@code KEYRING:} or {@code KCM:} ones. The cache's principal signs in.
     */
    public static KerberosLogin ticketCache(String servicePrincipal) {
        return new KerberosLogin(servicePrincipal, new TicketCache(Optional.empty()), Mechanism.SPNEGO);
    }

    /** Signs in with the ticket-granting ticket in the ticket cache file {@code cache}. */
    public static KerberosLogin ticketCache(String servicePrincipal, Path cache) {
        requireNonNull(cache, "cache");
        return new KerberosLogin(servicePrincipal, new TicketCache(Optional.of(cache)), Mechanism.SPNEGO);
    }

    /**
     * Signs in with the Kerberos credentials of a {@code Subject} the application logged in
     * itself (e.g. with its own JAAS {@code LoginContext}, kept for its lifetime), which the
     * SDK neither logs in nor out.
     */
    public static KerberosLogin subject(String servicePrincipal, Subject subject) {
        return new KerberosLogin(servicePrincipal, new LoggedInSubject(subject), Mechanism.SPNEGO);
    }

    /** This login with a token of {@code mechanism} instead. */
    public KerberosLogin withMechanism(Mechanism mechanism) {
        return new KerberosLogin(servicePrincipal, credentials, mechanism);
    }

    /** Where the client's Kerberos credentials come from. */
    public sealed interface Credentials permits Keytab, TicketCache, LoggedInSubject {}

    /**
     * The key of {@code principal} in a keytab file.
     *
     * @param file the keytab
     * @param principal the client principal whose key it holds, {@code name@REALM}
     */
    public record Keytab(Path file, String principal) implements Credentials {
        public Keytab {
            requireNonNull(file, "file");
            requireNonNull(principal, "principal");
            if (principal.isBlank()) {
                throw new IllegalArgumentException("principal: '" + principal + "' (expected: name@REALM)");
            }
        }
    }

    /**
     * The ticket-granting ticket in a ticket cache.
     *
     * @param file the cache file; empty for the default cache
     */
    public record TicketCache(Optional<Path> file) implements Credentials {
        public TicketCache {
            requireNonNull(file, "file");
        }
    }

    /**
     * The Kerberos credentials in a {@code Subject} the application logged in.
     *
     * @param subject the subject, holding a {@code KerberosTicket} (TGT) or {@code KeyTab}
     */
    public record LoggedInSubject(Subject subject) implements Credentials {
        public LoggedInSubject {
            requireNonNull(subject, "subject");
        }

        /** Names the subject's principals only: its private credentials are secrets. */
        @Override
        public String toString() {
            return "LoggedInSubject[principals=" + List.copyOf(subject.getPrincipals()) + "]";
        }
    }

    /** The GSS-API mechanism of the token. */
    public enum Mechanism {
        /** SPNEGO (1.3.6.1.5.5.2) wrapping Kerberos: what Windows' Negotiate sends. */
        SPNEGO("1.3.6.1.5.5.2"),
        /** Plain Kerberos V5 (1.2.840.113554.1.2.2). */
        KERBEROS("1.2.840.113554.1.2.2");

        private final String oid;

        Mechanism(String oid) {
            this.oid = oid;
        }

        /** The mechanism's object identifier, dotted. */
        public String oid() {
            return oid;
        }
    }
}
