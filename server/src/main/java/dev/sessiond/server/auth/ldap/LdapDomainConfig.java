package dev.sessiond.server.auth.ldap;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One directory domain: where its directory is and how its users are found and checked.
 * Immutable; the passwords are never printed.
 *
 * @param domain the domain's name, upper case, e.g. {@code CORP} (users type {@code CORP\alice})
 * @param aliases other names of the domain, upper case, e.g. {@code CORP.EXAMPLE.COM} (users type
 *     {@code alice@corp.example.com})
 * @param servers the directory servers, tried in order
 * @param tls how connections are protected
 * @param baseDn where users are searched
 * @param userFilter the search filter; {@code {0}} stands for the (escaped) user name
 * @param userDnPattern when present, users bind with this DN ({@code {0}} = the escaped user
 *     name) and are not searched
 * @param bindDn the service account that searches; empty = anonymous search
 * @param bindPassword that account's password
 * @param adminGroupDn the group whose (direct) members are administrators; empty = the
 *     directory does not decide who is one
 * @param connectTimeout how long connecting to one server may take
 * @param responseTimeout how long one directory operation may take
 * @param trustStore CA certificates for the directory's TLS certificate (PEM, PKCS12 or JKS);
 *     empty = the JVM's trusted CAs
 * @param trustStorePassword the password of a PKCS12/JKS trust store; empty = none
 */
public record LdapDomainConfig(
        String domain,
        Set<String> aliases,
        List<Server> servers,
        LdapTls tls,
        String baseDn,
        String userFilter,
        Optional<String> userDnPattern,
        Optional<String> bindDn,
        String bindPassword,
        Optional<String> adminGroupDn,
        Duration connectTimeout,
        Duration responseTimeout,
        Optional<Path> trustStore,
        String trustStorePassword) {

    /** The placeholder for the user name in {@link #userFilter} and {@link #userDnPattern}. */
    public static final String USER_PLACEHOLDER = "{0}";

    public LdapDomainConfig {
        requireNonNull(domain, "domain");
        aliases = Set.copyOf(aliases);
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("servers: empty");
        }
        requireNonNull(tls, "tls");
        requireNonNull(baseDn, "baseDn");
        requireNonNull(userFilter, "userFilter");
        requireNonNull(userDnPattern, "userDnPattern");
        requireNonNull(bindDn, "bindDn");
        requireNonNull(bindPassword, "bindPassword");
        requireNonNull(adminGroupDn, "adminGroupDn");
        requireNonNull(connectTimeout, "connectTimeout");
        requireNonNull(responseTimeout, "responseTimeout");
        requireNonNull(trustStore, "trustStore");
        requireNonNull(trustStorePassword, "trustStorePassword");
    }

    /**
     * One directory server.
     *
     * @param host its host name (checked against its TLS certificate) or IP address
     * @param port its port
     */
    public record Server(String host, int port) {
        public Server {
            requireNonNull(host, "host");
        }

        @Override
        public String toString() {
            return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    @Override
    public String toString() {
        return "LdapDomainConfig[domain=" + domain + ", aliases=" + aliases + ", servers=" + servers + ", tls=" + tls
                + ", baseDn=" + baseDn + ", userFilter=" + userFilter + ", userDnPattern=" + userDnPattern
                + ", bindDn=" + bindDn + ", adminGroupDn=" + adminGroupDn + ", connectTimeout=" + connectTimeout
                + ", responseTimeout=" + responseTimeout + ", trustStore=" + trustStore + "]";
    }
}
