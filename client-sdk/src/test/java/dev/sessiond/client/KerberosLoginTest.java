package dev.sessiond.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessiond.client.KerberosLogin.Keytab;
import dev.sessiond.client.KerberosLogin.Mechanism;
import dev.sessiond.client.KerberosLogin.TicketCache;
import java.nio.file.Path;
import java.util.Optional;
import javax.security.auth.Subject;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/** The value that says how to sign in with Kerberos; {@code KerberosSignInIT} signs in with it against a real KDC. */
class KerberosLoginTest {

    private static final String SERVICE = "HTTP/sessiond.corp.example.com@CORP.EXAMPLE.COM";

    @Test
    void factories_sayWhereTheCredentialsComeFrom_andDefaultToSpnego() {
        Path keytab = Path.of("/etc/orders/svc-orders.keytab");
        Path cache = Path.of("/tmp/krb5cc_orders");

        assertThat(KerberosLogin.keytab(SERVICE, keytab, "svc-orders@CORP.EXAMPLE.COM"))
                .isEqualTo(new KerberosLogin(SERVICE, new Keytab(keytab, "svc-orders@CORP.EXAMPLE.COM"), Mechanism.SPNEGO));
        assertThat(KerberosLogin.ticketCache(SERVICE))
                .isEqualTo(new KerberosLogin(SERVICE, new TicketCache(Optional.empty()), Mechanism.SPNEGO));
        assertThat(KerberosLogin.ticketCache(SERVICE, cache).credentials()).isEqualTo(new TicketCache(Optional.of(cache)));
        assertThat(KerberosLogin.ticketCache(SERVICE).withMechanism(Mechanism.KERBEROS).mechanism())
                .isEqualTo(Mechanism.KERBEROS);
    }

    @Test
    void servicePrincipal_mustNameAService() {
        for (String bad : new String[] {"", "  ", "@CORP.EXAMPLE.COM", "HTTP@"}) {
            assertThatThrownBy(() -> KerberosLogin.ticketCache(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("servicePrincipal: '" + bad + "' (expected: HTTP/host@REALM, or HTTP@host)");
        }
        assertThatThrownBy(() -> KerberosLogin.keytab(SERVICE, Path.of("k"), " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("principal: ' '");
    }

    @Test
    void aLoggedInSubject_printsItsPrincipalsButNotItsCredentials() {
        Subject subject = new Subject();
        subject.getPrincipals().add(new X500Principal("CN=alice"));
        subject.getPrivateCredentials().add("not-to-be-printed");

        String printed = KerberosLogin.subject(SERVICE, subject).toString();

        assertThat(printed).contains("CN=alice").doesNotContain("not-to-be-printed");
    }
}
