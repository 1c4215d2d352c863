package dev.sessiond.server.auth.kerberos;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.error.AuthenticationException;
import java.io.File;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KeyTab;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates SPNEGO and Kerberos tokens with the service principal's keytab, through the JDK's
 * GSS-API, in one round trip. The keytab is read from its file whenever it changes, so keys can
 * be rotated without a restart. Expired tickets, tickets for another service and replayed
 * authenticators are refused by the JDK (its replay cache lives in this JVM: it does not span
 * replicas).
 *
 * <p>No JVM-wide setting is touched: the keytab is handed to the JDK through a private
 * {@link Subject}. Thread-safe: one accepting context per call.
 */
public final class KerberosAcceptor {

    private static final Logger log = LoggerFactory.getLogger(KerberosAcceptor.class);

    private static final Oid SPNEGO = oid("1.3.6.1.5.5.2");
    private static final Oid KRB5 = oid("1.2.840.113554.1.2.2");
    private static final Oid KRB5_PRINCIPAL_NAME = oid("1.2.840.113554.1.2.2.1");

    private final String servicePrincipal;
    private final Subject service;
    private final GSSManager manager = GSSManager.getInstance();
    private final GSSCredential credential;

    /**
     * @throws IllegalStateException if the keytab cannot be read or holds no key of the
     *     service principal (the message names the setting)
     */
    public KerberosAcceptor(KerberosConfig config) {
        requireNonNull(config, "config");
        this.servicePrincipal = config.servicePrincipal();
        File file = config.keytab().toFile();
        if (!Files.isReadable(config.keytab())) {
            throw new IllegalStateException("SESSIOND_KERBEROS_KEYTAB: cannot read " + file);
        }
        KerberosPrincipal principal = new KerberosPrincipal(servicePrincipal, KerberosPrincipal.KRB_NT_PRINCIPAL);
        KeyTab keytab = KeyTab.getInstance(principal, file);
        if (keytab.getKeys(principal).length == 0) {
            throw new IllegalStateException("SESSIOND_KERBEROS_PRINCIPAL: the keytab " + file + " holds no key of "
                    + servicePrincipal);
        }
        this.service = new Subject();
        service.getPrincipals().add(principal);
        service.getPrivateCredentials().add(keytab);
        try {
            GSSName name = manager.createName(servicePrincipal, KRB5_PRINCIPAL_NAME);
            this.credential = asService(() -> manager.createCredential(
                    name, GSSCredential.INDEFINITE_LIFETIME, new Oid[] {SPNEGO, KRB5}, GSSCredential.ACCEPT_ONLY));
        } catch (GSSException e) {
            throw new IllegalStateException("SESSIOND_KERBEROS_KEYTAB: cannot use the keys of " + servicePrincipal
                    + " in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Validates one SPNEGO or Kerberos token.
     *
     * @throws AuthenticationException (INVALID_CREDENTIALS) for a malformed, expired, replayed or
     *     foreign token, or one that needs a second round trip (e.g. NTLM)
     */
    public AcceptedTicket accept(byte[] token) {
        byte[] framed = GssTokens.framed(token);
        GSSContext context = null;
        try {
            GSSContext accepting = manager.createContext(credential);
            context = accepting;
            byte[] response = asService(() -> accepting.acceptSecContext(framed, 0, framed.length));
            if (!accepting.isEstablished()) {
                log.info("Kerberos token refused: the mechanism wants another round trip (NTLM?), which "
                        + "OpenSessionWindowsAuth does not offer");
                throw AuthenticationException.invalidCredentials();
            }
            String client = accepting.getSrcName().toString();
            return new AcceptedTicket(client, response == null ? new byte[0] : response);
        } catch (GSSException e) {
            log.info("Kerberos token refused: {}", e.getMessage());
            throw AuthenticationException.invalidCredentials();
        } catch (AuthenticationException e) {
            throw e;
        } catch (RuntimeException e) {
            // The token is the caller's bytes: whatever the JDK's decoder trips over is a bad token.
            log.info("Kerberos token refused: cannot be decoded ({})", e.toString());
            throw AuthenticationException.invalidCredentials();
        } finally {
            dispose(context);
        }
    }

    public String servicePrincipal() {
        return servicePrincipal;
    }

    private <T> T asService(Callable<T> action) throws GSSException {
        try {
            return Subject.callAs(service, action);
        } catch (CompletionException e) {
            if (e.getCause() instanceof GSSException gss) {
                throw gss;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
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

    private static Oid oid(String dotted) {
        try {
            return new Oid(dotted);
        } catch (GSSException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
