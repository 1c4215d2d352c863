package dev.sessiond.server.auth.domain;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.auth.kerberos.KerberosConfig;
import dev.sessiond.server.auth.ldap.LdapDomainConfig;
import java.util.List;
import java.util.Optional;

/**
 * Which directory domains users may sign in with, and whether Windows (Kerberos) sign-in is
 * on. Immutable.
 *
 * @param ldapDomains the domains whose passwords are checked against their LDAP directory
 * @param kerberos Windows sign-in; empty = off
 */
public record DomainSignInConfig(List<LdapDomainConfig> ldapDomains, Optional<KerberosConfig> kerberos) {

    /** No directory sign-in at all. */
    public static final DomainSignInConfig NONE = new DomainSignInConfig(List.of(), Optional.empty());

    public DomainSignInConfig {
        ldapDomains = List.copyOf(ldapDomains);
        requireNonNull(kerberos, "kerberos");
    }
}
