package dev.sessiond.it.sdk;

import dev.sessiond.client.KerberosLogin;
import dev.sessiond.client.SessiondClient;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.OpenSessionWindowsAuthResponse;
import java.nio.file.Path;

/**
 * The SDK example of README.md's "Domain and Windows sign-in" section, checked like
 * {@link ReadmeExample}: {@code KerberosSignInIT} compares it with the README's code block and
 * runs it against a real KDC, directory and server (all but the default ticket cache, which a
 * test cannot point anywhere without clobbering the machine's own).
 */
final class ReadmeDomainExample {

    private ReadmeDomainExample() {}

    // README:begin
    /** A service signs in with its own keytab: its session's user is CORP\svc-orders. */
    static OpenSessionWindowsAuthResponse signInWithKeytab(SessiondClient sessiond, Path keytab) {
        return sessiond.openSessionWithKerberos(KerberosLogin.keytab(
                "HTTP/sessiond.corp.example.com@CORP.EXAMPLE.COM", // sessiond's service principal
                keytab, "svc-orders@CORP.EXAMPLE.COM"));          // the service's principal, its key in keytab
    }

    /** A user signs in with the ticket-granting ticket kinit left in the ticket cache: CORP\alice. */
    static OpenSessionWindowsAuthResponse signInWithTicketCache(SessiondClient sessiond) {
        return sessiond.openSessionWithKerberos(KerberosLogin.ticketCache("HTTP@sessiond.corp.example.com"));
    }

    /** Or with the domain password, checked by the domain's directory: CORP\alice as well. */
    static OpenSessionResponse signInWithDomainPassword(SessiondClient sessiond, String password) {
        return sessiond.openSession("alice", password, "CORP");
    }
    // README:end
}
