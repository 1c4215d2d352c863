package dev.sessiond.server.auth.ldap;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import dev.sessiond.server.error.AuthenticationException;
import dev.sessiond.server.error.DirectoryUnavailableException;
import dev.sessiond.server.store.NonBlocking;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One domain's LDAP directory: checks a password by binding as the user (a search first finds
 * the user's entry, unless a DN pattern names it), and reads what sessiond keeps of the user:
 * the display name and whether the user is in the admin group.
 *
 * <p>User input reaches the directory only escaped: RFC 4515 in filters, RFC 4514 in DNs. An
 * empty password never reaches it: a simple bind with an empty password is an anonymous bind,
 * which succeeds. A directory that cannot be reached, or that refuses sessiond's own service
 * account, is a {@link DirectoryUnavailableException}, never wrong credentials.
 *
 * <p>Thread-safe: each call uses its own connection, closed before it returns.
 */
public final class LdapDirectory {

    private static final Logger log = LoggerFactory.getLogger(LdapDirectory.class);

    private static final String[] ATTRIBUTES = {"displayName", "cn", "memberOf"};

    /** Result codes that mean "the directory did not answer properly", as opposed to "no". */
    private static final Set<ResultCode> OUTAGES = Set.of(
            ResultCode.SERVER_DOWN, ResultCode.CONNECT_ERROR, ResultCode.TIMEOUT, ResultCode.UNAVAILABLE,
            ResultCode.BUSY, ResultCode.LOCAL_ERROR, ResultCode.DECODING_ERROR, ResultCode.ENCODING_ERROR,
            ResultCode.NO_MEMORY, ResultCode.OTHER, ResultCode.PROTOCOL_ERROR,
            ResultCode.ADMIN_LIMIT_EXCEEDED);

    private final LdapDomainConfig config;
    private final ServerSet servers;

    /**
     * @throws IOException if the trust store cannot be read
     * @throws GeneralSecurityException if it holds no usable certificate
     */
    public LdapDirectory(LdapDomainConfig config) throws IOException, GeneralSecurityException {
        this.config = requireNonNull(config, "config");
        this.servers = serverSet(config);
    }

    public String domain() {
        return config.domain();
    }

    public LdapDomainConfig config() {
        return config;
    }

    /**
     * Checks {@code password} by binding as {@code userName}.
     *
     * @throws AuthenticationException (INVALID_CREDENTIALS) for an empty or wrong password, an
     *     unknown or ambiguous user name
     * @throws DirectoryUnavailableException if the directory cannot be asked
     */
    public LdapAccount authenticate(String userName, String password) {
        if (password.isEmpty()) {
            throw AuthenticationException.invalidCredentials();
        }
        try (LDAPConnection connection = connect()) {
            String dn;
            Entry entry = null;
            if (config.userDnPattern().isPresent()) {
                dn = config.userDnPattern().get().replace(LdapDomainConfig.USER_PLACEHOLDER, escapeDnValue(userName));
            } else {
                bindAsService(connection);
                entry = findUser(connection, userName).orElseThrow(AuthenticationException::invalidCredentials);
                dn = entry.getDN();
            }
            bindAsUser(connection, dn, password);
            if (entry == null) {
                entry = ownEntry(connection, dn);
            }
            return account(connection, dn, entry);
        } catch (LDAPException e) {
            throw unavailable(e);
        }
    }

    /**
     * Finds a user whom Kerberos has authenticated already, as the service account (or
     * anonymously), to read the display name and admin group membership.
     *
     * @throws AuthenticationException (INVALID_CREDENTIALS) if the directory does not know the user
     * @throws DirectoryUnavailableException if the directory cannot be asked
     */
    public LdapAccount lookup(String userName) {
        try (LDAPConnection connection = connect()) {
            bindAsService(connection);
            Entry entry;
            if (config.userDnPattern().isPresent()) {
                String dn = config.userDnPattern().get()
                        .replace(LdapDomainConfig.USER_PLACEHOLDER, escapeDnValue(userName));
                entry = connection.getEntry(dn, ATTRIBUTES);
            } else {
                entry = findUser(connection, userName).orElse(null);
            }
            if (entry == null) {
                log.info("domain {}: Kerberos user '{}' is not in the directory", config.domain(), userName);
                throw AuthenticationException.invalidCredentials();
            }
            return account(connection, entry.getDN(), entry);
        } catch (LDAPException e) {
            throw unavailable(e);
        }
    }

    /** A connection to the directory; never on a thread that must not wait (a sign-in starts on the transport's). */
    private LDAPConnection connect() throws LDAPException {
        NonBlocking.checkMayWait();
        return servers.getConnection();
    }

    private void bindAsService(LDAPConnection connection) throws LDAPException {
        if (config.bindDn().isEmpty()) {
            return;
        }
        try {
            connection.bind(new SimpleBindRequest(config.bindDn().get(), config.bindPassword()));
        } catch (LDAPException e) {
            if (!OUTAGES.contains(e.getResultCode())) {
                // The service account is sessiond's, not the user's: a refusal is a configuration fault.
                log.error("domain {}: the directory refused the service account {} ({}); check the domain's "
                        + "BIND_DN and BIND_PASSWORD", config.domain(), config.bindDn().get(), e.getResultCode());
                throw new LDAPException(ResultCode.UNAVAILABLE, "service account refused", e);
            }
            throw e;
        }
    }

    private Optional<Entry> findUser(LDAPConnection connection, String userName) throws LDAPException {
        Filter filter = Filter.create(
                config.userFilter().replace(LdapDomainConfig.USER_PLACEHOLDER, Filter.encodeValue(userName)));
        SearchRequest search = new SearchRequest(config.baseDn(), SearchScope.SUB, filter, ATTRIBUTES);
        search.setSizeLimit(2);
        search.setTimeLimitSeconds(timeLimitSeconds());
        List<? extends Entry> entries;
        try {
            SearchResult result = connection.search(search);
            entries = result.getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                log.warn("domain {}: user name '{}' matches several entries; refused", config.domain(), userName);
                return Optional.empty();
            }
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                log.error("domain {}: base DN {} does not exist", config.domain(), config.baseDn());
            }
            throw e;
        }
        if (entries.size() > 1) {
            log.warn("domain {}: user name '{}' matches several entries; refused", config.domain(), userName);
            return Optional.empty();
        }
        return entries.stream().findFirst().map(Entry.class::cast);
    }

    /** The user's own entry, read as the user; null if the directory does not let them read it. */
    private Entry ownEntry(LDAPConnection connection, String dn) throws LDAPException {
        try {
            return connection.getEntry(dn, ATTRIBUTES);
        } catch (LDAPException e) {
            if (OUTAGES.contains(e.getResultCode())) {
                throw e;
            }
            log.debug("domain {}: {} cannot read its own entry ({})", config.domain(), dn, e.getResultCode());
            return null;
        }
    }

    private void bindAsUser(LDAPConnection connection, String dn, String password) throws LDAPException {
        try {
            connection.bind(new SimpleBindRequest(dn, password));
        } catch (LDAPException e) {
            if (OUTAGES.contains(e.getResultCode())) {
                throw e;
            }
            // Wrong password, unknown DN, disabled or locked account: one answer for all.
            log.debug("domain {}: bind as {} refused: {}", config.domain(), dn, e.getResultCode());
            throw AuthenticationException.invalidCredentials();
        }
    }

    private LdapAccount account(LDAPConnection connection, String dn, Entry entry) throws LDAPException {
        String displayName = "";
        if (entry != null) {
            displayName = Optional.ofNullable(entry.getAttributeValue("displayName"))
                    .or(() -> Optional.ofNullable(entry.getAttributeValue("cn")))
                    .orElse("");
        }
        Optional<Boolean> isAdmin = Optional.empty();
        if (config.adminGroupDn().isPresent()) {
            isAdmin = Optional.of(isMember(connection, dn, entry, config.adminGroupDn().get()));
        }
        return new LdapAccount(dn, displayName, isAdmin);
    }

    /** Direct membership: the user's {@code memberOf} names the group, or the group lists the user. */
    private boolean isMember(LDAPConnection connection, String userDn, Entry entry, String groupDn) throws LDAPException {
        DN group = new DN(groupDn);
        if (entry != null && entry.hasAttribute("memberOf")) {
            for (String value : entry.getAttributeValues("memberOf")) {
                if (DN.isValidDN(value) && new DN(value).equals(group)) {
                    return true;
                }
            }
        }
        Filter lists = Filter.createORFilter(
                Filter.createEqualityFilter("member", userDn),
                Filter.createEqualityFilter("uniqueMember", userDn));
        SearchRequest search = new SearchRequest(groupDn, SearchScope.BASE, lists, SearchRequest.NO_ATTRIBUTES);
        search.setTimeLimitSeconds(timeLimitSeconds());
        try {
            return connection.search(search).getEntryCount() > 0;
        } catch (LDAPSearchException e) {
            ResultCode result = e.getResultCode();
            if (result == ResultCode.NO_SUCH_OBJECT || result == ResultCode.INSUFFICIENT_ACCESS_RIGHTS) {
                // Not being able to tell must not make anyone an administrator.
                log.warn("domain {}: admin group {} does not exist or cannot be read ({}); nobody is an administrator "
                        + "through it", config.domain(), groupDn, e.getResultCode());
                return false;
            }
            throw e;
        }
    }

    private int timeLimitSeconds() {
        return (int) Math.max(1, config.responseTimeout().toSeconds());
    }

    private DirectoryUnavailableException unavailable(LDAPException e) {
        log.warn("domain {}: directory unavailable: {} ({})", config.domain(), e.getResultCode(), e.getMessage());
        return new DirectoryUnavailableException(config.domain(), e);
    }

    /** Escapes a value for use inside a DN (RFC 4514 §2.4). */
    static String escapeDnValue(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean edge = (i == 0 && (c == ' ' || c == '#')) || (i == value.length() - 1 && c == ' ');
            if (c == '\0') {
                out.append("\\00");
            } else if (edge || "\"+,;<>\\=".indexOf(c) >= 0) {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static ServerSet serverSet(LdapDomainConfig config) throws IOException, GeneralSecurityException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
        options.setResponseTimeoutMillis(config.responseTimeout().toMillis());
        options.setBindWithDNRequiresPassword(true);
        options.setFollowReferrals(false);

        SocketFactory sockets = null;
        PostConnectProcessor startTls = null;
        if (config.tls() != LdapTls.NONE) {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {LdapTrust.trustManager(config.trustStore(), config.trustStorePassword())},
                    null);
            SSLSocketFactory tls = new EndpointCheckingSocketFactory(context.getSocketFactory());
            if (config.tls() == LdapTls.LDAPS) {
                sockets = tls;
            } else {
                startTls = new StartTLSPostConnectProcessor(tls);
            }
        }
        String[] hosts = config.servers().stream().map(LdapDomainConfig.Server::host).toArray(String[]::new);
        int[] ports = config.servers().stream().mapToInt(LdapDomainConfig.Server::port).toArray();
        BindRequest noBind = null;
        if (hosts.length == 1) {
            return new SingleServerSet(hosts[0], ports[0], sockets, options, noBind, startTls);
        }
        return new FailoverServerSet(hosts, ports, sockets, options, noBind, startTls);
    }
}
