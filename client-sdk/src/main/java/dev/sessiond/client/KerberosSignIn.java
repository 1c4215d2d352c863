package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import dev.sessiond.client.KerberosLogin.Keytab;
import dev.sessiond.client.KerberosLogin.LoggedInSubject;
import dev.sessiond.client.KerberosLogin.TicketCache;
import dev.sessiond.proto.v1.OpenSessionWindowsAuthResponse;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KeyTab;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kerberos sign-in: logs in (JAAS {@code Krb5LoginModule}, configured here rather than in a
 * JAAS file), makes the first token of a GSS-API context for sessiond's service principal,
 * sends it in one {@code OpenSessionWindowsAuth} call, and checks sessiond's mutual-authentication
 * token. Nothing JVM-wide is set: the credentials live in a {@link Subject} of this sign-in, or
 * the caller's.
 *
 * <p>The token is single-use: sessiond refuses a second sending as a replay. So it is sent
 * exactly once; {@code OpenSessionWindowsAuth} is not among the SDK's retried calls
 * ({@link RetryConfig}), and a sign-in that failed is repeated, if at all, with a fresh token.
 */
final class KerberosSignIn {

    private static final Logger log = LoggerFactory.getLogger(KerberosSignIn.class);

    private static final String KRB5_LOGIN_MODULE = "com.sun.security.auth.module.Krb5LoginModule";
    private static final Oid KRB5_PRINCIPAL_NAME = oid("1.2.840.113554.1.2.2.1");
    /** doNotPrompt is set: a callback would mean the module wants a password, which the SDK never has. */
    private static final CallbackHandler NO_PROMPTS = callbacks -> {
        throw new UnsupportedCallbackException(callbacks[0], "the SDK does not prompt for Kerberos passwords");
    };

    private final KerberosLogin login;
    private final GSSManager manager = GSSManager.getInstance();

    KerberosSignIn(KerberosLogin login) {
        this.login = requireNonNull(login, "login");
    }

    OpenSessionWindowsAuthResponse open(SessiondClient client) {
        LoginContext loggedIn = null;
        Subject subject;
        if (login.credentials() instanceof LoggedInSubject given) {
            subject = given.subject();
        } else {
            subject = new Subject();
            loggedIn = logIn(subject);
        }
        GSSContext context = null;
        try {
            context = createContext(subject);
            GSSContext initiating = context;
            byte[] token = as(subject, () -> initiating.initSecContext(new byte[0], 0, 0), "make a token for");
            OpenSessionWindowsAuthResponse opened = client.openSessionWindowsAuth(token);
            try {
                verifyServer(subject, context, opened.getSpnegoResponse().toByteArray());
            } catch (KerberosException e) {
                closeQuietly(client, opened.getToken(), e);
                throw e;
            }
            return opened;
        } finally {
            dispose(context);
            logOut(loggedIn);
        }
    }

    private LoginContext logIn(Subject subject) {
        Map<String, String> options = new HashMap<>();
        options.put("doNotPrompt", "true");
        options.put("isInitiator", "true");
        String who;
        switch (login.credentials()) {
            case Keytab keytab -> {
                options.put("useKeyTab", "true");
                options.put("keyTab", keytab.file().toString());
                options.put("principal", keytab.principal());
                options.put("storeKey", "false");
                who = "as " + keytab.principal() + " with the keytab " + keytab.file();
            }
            case TicketCache cache -> {
                options.put("useTicketCache", "true");
                cache.file().ifPresent(file -> options.put("ticketCache", file.toString()));
                who = cache.file().map(file -> "with the ticket cache " + file).orElse("with the default ticket cache");
            }
            case LoggedInSubject given -> throw new IllegalStateException("a given subject is logged in already");
        }
        Configuration configuration = new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry(
                        KRB5_LOGIN_MODULE, AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.copyOf(options))};
            }
        };
        try {
            LoginContext context = new LoginContext("sessiond-kerberos", subject, NO_PROMPTS, configuration);
            context.login();
            return context;
        } catch (LoginException e) {
            String why = diagnosis(login.credentials()).map(d -> d + " (" + e.getMessage() + ")").orElse(e.getMessage());
            throw new KerberosException("cannot log in to Kerberos " + who + ": " + why, e);
        }
    }

    /** What the JDK's terse login failures ("Unable to obtain password from user") most likely mean. */
    private static Optional<String> diagnosis(KerberosLogin.Credentials credentials) {
        try {
            switch (credentials) {
                case Keytab keytab -> {
                    if (!Files.isReadable(keytab.file())) {
                        return Optional.of("cannot read the keytab");
                    }
                    KerberosPrincipal principal = new KerberosPrincipal(keytab.principal());
                    if (KeyTab.getInstance(principal, keytab.file().toFile()).getKeys(principal).length == 0) {
                        return Optional.of("the keytab holds no key of " + principal);
                    }
                }
                case TicketCache cache -> {
                    if (cache.file().isPresent() && !Files.exists(cache.file().get())) {
                        return Optional.of("there is no such file");
                    }
                    return Optional.of("no ticket-granting ticket in the cache, or it has expired (kinit makes one)");
                }
                case LoggedInSubject given -> {
                    return Optional.empty();
                }
            }
        } catch (RuntimeException e) {
            // e.g. a principal without realm and no default realm: the JDK's own message must do
        }
        return Optional.empty();
    }

    private GSSContext createContext(Subject subject) {
        String service = login.servicePrincipal();
        Oid mechanism = oid(login.mechanism().oid());
        GSSContext context = as(subject, () -> manager.createContext(
                manager.createName(service,
                        service.indexOf('/') >= 0 ? KRB5_PRINCIPAL_NAME : GSSName.NT_HOSTBASED_SERVICE),
                mechanism, null, GSSContext.DEFAULT_LIFETIME), "prepare a context for");
        try {
            context.requestMutualAuth(true);
        } catch (GSSException e) {
            dispose(context);
            throw new KerberosException("cannot ask for mutual authentication with " + service + ": "
                    + e.getMessage(), e);
        }
        return context;
    }

    /** Feeds sessiond's answer to the context: it must complete it and prove the service's identity. */
    private void verifyServer(Subject subject, GSSContext context, byte[] answer) {
        String service = login.servicePrincipal();
        if (answer.length == 0) {
            throw new KerberosException("sessiond sent no mutual-authentication token, so it did not prove to be "
                    + service + "; the session it opened was closed", null);
        }
        try {
            Subject.callAs(subject, () -> context.initSecContext(answer, 0, answer.length));
        } catch (CompletionException e) {
            // GSSException, or whatever the JDK's decoder trips over: the bytes are the server's.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new KerberosException("sessiond's mutual-authentication token does not prove it to be " + service
                    + " (" + cause.getMessage() + "); the session it opened was closed", cause);
        }
        if (!context.isEstablished() || !context.getMutualAuthState()) {
            throw new KerberosException("sessiond's answer did not complete mutual authentication as " + service
                    + "; the session it opened was closed", null);
        }
    }

    /** Best effort: a session whose server did not prove its identity must not stay open. */
    private static void closeQuietly(SessiondClient client, String token, KerberosException failure) {
        try {
            client.withToken(token).closeSession();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private <T> T as(Subject subject, Callable<T> action, String doing) {
        try {
            return Subject.callAs(subject, action);
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof GSSException) {
                throw new KerberosException("cannot " + doing + " " + login.servicePrincipal() + ": "
                        + cause.getMessage(), cause);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static void dispose(GSSContext context) {
        if (context != null) {
            try {
                context.dispose();
            } catch (GSSException e) {
                log.debug("disposing a GSS context failed", e);
            }
        }
    }

    private static void logOut(LoginContext context) {
        if (context != null) {
            try {
                context.logout();
            } catch (LoginException e) {
                log.debug("logging out of Kerberos failed", e);
            }
        }
    }

    private static Oid oid(String dotted) {
        try {
            return new Oid(dotted);
        } catch (GSSException e) {
            throw new IllegalStateException(e);
        }
    }
}
