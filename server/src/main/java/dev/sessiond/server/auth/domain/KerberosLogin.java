package dev.sessiond.server.auth.domain;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A validated Kerberos ticket, before its user is signed in.
 *
 * @param principal the client principal, {@code name@REALM}
 * @param login the domain user it maps to; empty when its realm is not accepted (or it is not
 *     a user principal)
 * @param responseToken the mutual-authentication token for the client
 */
public record KerberosLogin(String principal, Optional<DomainLogin> login, byte[] responseToken) {

    public KerberosLogin {
        requireNonNull(principal, "principal");
        requireNonNull(login, "login");
        requireNonNull(responseToken, "responseToken");
    }

    /** The login to record for this attempt: the domain login, else the principal as presented. */
    public String auditLogin() {
        return login.map(DomainLogin::login).orElse(principal);
    }

    @Override
    public String toString() {
        return "KerberosLogin[" + principal + " -> " + login + "]";
    }
}
