package dev.sessiond.server.auth.domain;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.audit.Actor;
import dev.sessiond.server.auth.kerberos.AcceptedTicket;
import dev.sessiond.server.auth.kerberos.KerberosAcceptor;
import dev.sessiond.server.auth.ldap.LdapAccount;
import dev.sessiond.server.auth.ldap.LdapDirectory;
import dev.sessiond.server.auth.ldap.LdapDomainConfig;
import dev.sessiond.server.error.AuthenticationException;
import dev.sessiond.server.error.InvalidArgumentException;
import dev.sessiond.server.error.NotImplementedException;
import dev.sessiond.server.user.User;
import dev.sessiond.server.user.UserService;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in of directory domain users: by password, checked with an LDAP bind, or by a Kerberos
 * ticket (Windows integrated sign-in), validated with the service's keytab. Either way the user
 * becomes the sessiond user {@code DOMAIN\}{@code user}, provisioned on first success.
 *
 * <p>Which logins are domain logins ({@link #parse}): {@code DOMAIN\}{@code user}; any login
 * when the request names a {@code domain}; and {@code user@name} when {@code name} is a
 * configured domain or one of its aliases — otherwise {@code user@name} is a local login.
 *
 * <p>Thread-safe.
 */
public final class DomainSignIn {

    private static final Logger log = LoggerFactory.getLogger(DomainSignIn.class);

    /** Configured LDAP domains by upper-case name and alias. */
    private final Map<String, LdapDirectory> directories;
    private final Optional<KerberosAcceptor> kerberos;
    private final Map<String, String> realmDomains;
    private final DomainUsers users;

    private DomainSignIn(Map<String, LdapDirectory> directories, Optional<KerberosAcceptor> kerberos,
            Map<String, String> realmDomains, UserService users) {
        this.directories = Map.copyOf(directories);
        this.kerberos = kerberos;
        this.realmDomains = Map.copyOf(realmDomains);
        this.users = new DomainUsers(users);
    }

    /**
     * Sets up the configured directories and the Kerberos acceptor.
     *
     * @throws IOException if a trust store cannot be read
     * @throws GeneralSecurityException if a trust store holds no usable certificate
     * @throws IllegalStateException if the keytab is unusable
     */
    public static DomainSignIn start(DomainSignInConfig config, UserService users)
            throws IOException, GeneralSecurityException {
        Map<String, LdapDirectory> directories = new HashMap<>();
        for (LdapDomainConfig domain : config.ldapDomains()) {
            LdapDirectory directory = new LdapDirectory(domain);
            directories.put(domain.domain(), directory);
            domain.aliases().forEach(alias -> directories.put(alias, directory));
            log.info("directory sign-in for domain {}{}: {} ({})", domain.domain(),
                    domain.aliases().isEmpty() ? "" : " " + domain.aliases(), domain.servers(), domain.tls());
        }
        Optional<KerberosAcceptor> kerberos = config.kerberos().map(KerberosAcceptor::new);
        config.kerberos().ifPresent(k -> log.info("Windows (Kerberos) sign-in as {}, for realms {}",
                k.servicePrincipal(), k.realmDomains()));
        return new DomainSignIn(directories, kerberos,
                config.kerberos().map(k -> k.realmDomains()).orElse(Map.of()), users);
    }

    /**
     * Decides whether a password login is a domain login.
     *
     * @param domain the request's {@code domain} field; empty = none
     * @return the domain user; empty = a local login
     * @throws NotImplementedException if it is a domain login but no domain is configured
     * @throws InvalidArgumentException if the login and the domain field disagree or the user name is missing
     */
    public Optional<DomainLogin> parse(String login, String domain) {
        int backslash = login.indexOf('\\');
        if (backslash >= 0) {
            String named = login.substring(0, backslash);
            String user = login.substring(backslash + 1);
            if (named.isEmpty() || user.isEmpty() || user.indexOf('\\') >= 0) {
                throw new InvalidArgumentException("login", "'" + login + "' (expected: DOMAIN\\user)");
            }
            requireDirectories();
            if (!domain.isEmpty() && !canonical(domain).equals(canonical(named))) {
                throw new InvalidArgumentException("domain",
                        "'" + domain + "' but the login names domain " + named + " (expected: the same domain, or none)");
            }
            return Optional.of(domainLogin(canonical(named), user));
        }
        if (!domain.isEmpty()) {
            requireDirectories();
            String canonical = canonical(domain);
            int at = login.lastIndexOf('@');
            String user = at > 0 && canonical(login.substring(at + 1)).equals(canonical) ? login.substring(0, at) : login;
            return Optional.of(domainLogin(canonical, user));
        }
        int at = login.lastIndexOf('@');
        if (at > 0 && at < login.length() - 1) {
            LdapDirectory directory = directories.get(upper(login.substring(at + 1)));
            if (directory != null) {
                return Optional.of(domainLogin(directory.domain(), login.substring(0, at)));
            }
        }
        return Optional.empty();
    }

    /**
     * Checks a domain user's password against the domain's directory and signs the user in.
     *
     * @throws AuthenticationException (INVALID_CREDENTIALS) for an empty or wrong password, an
     *     unknown user or an unknown domain
     * @throws dev.sessiond.server.error.DirectoryUnavailableException if the directory cannot be asked
     * @throws dev.sessiond.server.error.AccessDeniedException (USER_BLOCKED) after the right password
     */
    public User authenticate(DomainLogin login, String password, Actor actor) {
        LdapDirectory directory = directories.get(login.domain());
        if (directory == null) {
            log.info("sign-in of {} refused: domain {} is not configured", login, login.domain());
            throw AuthenticationException.invalidCredentials();
        }
        if (password.isEmpty()) {
            // An LDAP simple bind with an empty password is an anonymous bind, and succeeds.
            throw AuthenticationException.invalidCredentials();
        }
        LdapAccount account = directory.authenticate(login.userName(), password);
        return users.signIn(login, account.displayName(), account.isAdmin(), actor);
    }

    /**
     * Validates a SPNEGO or Kerberos token and maps its client principal to a domain user.
     *
     * @throws NotImplementedException if Windows sign-in is not configured
     * @throws AuthenticationException (INVALID_CREDENTIALS) for a bad, expired or replayed ticket
     */
    public KerberosLogin acceptKerberos(byte[] token) {
        KerberosAcceptor acceptor = kerberos.orElseThrow(() -> NotImplementedException.notConfigured(
                "Windows (Kerberos/SPNEGO) sign-in", "SESSIOND_KERBEROS_KEYTAB and SESSIOND_KERBEROS_PRINCIPAL"));
        AcceptedTicket ticket = acceptor.accept(token);
        String domain = realmDomains.get(upper(ticket.realm()));
        String name = ticket.name();
        Optional<DomainLogin> login = Optional.empty();
        if (domain != null && !name.isEmpty() && name.indexOf('/') < 0 && name.indexOf('\\') < 0) {
            login = Optional.of(new DomainLogin(domain, name));
        }
        return new KerberosLogin(ticket.principal(), login, ticket.responseToken());
    }

    /**
     * Signs in the domain user of a validated ticket; when the domain has a directory, the
     * user must be in it, and the display name and admin group come from there.
     *
     * @throws AuthenticationException (INVALID_CREDENTIALS) if the ticket's realm is not
     *     accepted, its principal is not a user, or the directory does not know the user
     * @throws dev.sessiond.server.error.DirectoryUnavailableException if the directory cannot be asked
     * @throws dev.sessiond.server.error.AccessDeniedException (USER_BLOCKED) if the user is blocked
     */
    public User authenticate(KerberosLogin ticket, Actor actor) {
        DomainLogin login = ticket.login().orElseThrow(() -> {
            log.info("Kerberos sign-in of {} refused: its realm is not in SESSIOND_KERBEROS_REALMS, or it is not "
                    + "a user principal", ticket.principal());
            return AuthenticationException.invalidCredentials();
        });
        LdapDirectory directory = directories.get(login.domain());
        if (directory == null) {
            return users.signIn(login, "", Optional.empty(), actor);
        }
        LdapAccount account = directory.lookup(login.userName());
        return users.signIn(login, account.displayName(), account.isAdmin(), actor);
    }

    private void requireDirectories() {
        if (directories.isEmpty()) {
            throw NotImplementedException.notConfigured("directory (LDAP) sign-in for domain logins",
                    "SESSIOND_LDAP_DOMAINS");
        }
    }

    /** The configured domain's name for a name or alias; an unknown name upper-cased. */
    private String canonical(String name) {
        LdapDirectory directory = directories.get(upper(name));
        return directory != null ? directory.domain() : upper(name);
    }

    private static DomainLogin domainLogin(String domain, String user) {
        if (user.isEmpty() || !user.strip().equals(user)) {
            throw new InvalidArgumentException("login",
                    "'" + user + "' (expected: a user name without leading or trailing spaces)");
        }
        DomainLogin login = new DomainLogin(domain, user);
        if (login.login().length() > UserService.MAX_LOGIN) {
            throw new InvalidArgumentException("login", login.login().length()
                    + " characters with the domain (expected: at most " + UserService.MAX_LOGIN + ")");
        }
        return login;
    }

    private static String upper(String name) {
        return name.toUpperCase(Locale.ROOT);
    }
}
