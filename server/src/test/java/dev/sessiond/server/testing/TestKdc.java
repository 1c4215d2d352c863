package dev.sessiond.server.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Locale;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.admin.kadmin.local.LocalKadmin;
import org.apache.kerby.kerberos.kerb.admin.kadmin.local.LocalKadminImpl;
import org.apache.kerby.kerberos.kerb.client.KrbClient;
import org.apache.kerby.kerberos.kerb.client.KrbConfig;
import org.apache.kerby.kerberos.kerb.identity.backend.BackendConfig;
import org.apache.kerby.kerberos.kerb.server.KdcConfig;
import org.apache.kerby.kerberos.kerb.server.KdcConfigKey;
import org.apache.kerby.kerberos.kerb.server.KdcServer;

/**
 * A real Kerberos KDC on loopback (Apache Kerby), TCP only, with an in-memory principal
 * database.
 *
 * <p>Configured through its own {@link KdcConfig} rather than {@code SimpleKdcServer}'s
 * setters: those keep their values in JVM-wide option constants (so two KDCs in one JVM share
 * one realm and port) and point {@code java.security.krb5.conf} at a file of their own.
 */
public final class TestKdc implements AutoCloseable {

    public final String realm;
    public final int port;
    private final KdcServer server;
    private final LocalKadmin admin;

    private TestKdc(String realm, int port, KdcServer server, LocalKadmin admin) {
        this.realm = realm;
        this.port = port;
        this.server = server;
        this.admin = admin;
    }

    public static TestKdc start(String realm) throws IOException, KrbException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        KdcConfig config = new KdcConfig();
        config.setString(KdcConfigKey.KDC_REALM, realm);
        config.setString(KdcConfigKey.KDC_HOST, "127.0.0.1");
        config.setInt(KdcConfigKey.KDC_TCP_PORT, port);
        config.setBoolean(KdcConfigKey.KDC_ALLOW_TCP, true);
        config.setBoolean(KdcConfigKey.KDC_ALLOW_UDP, false);
        KdcServer server = new KdcServer(config, new BackendConfig());
        server.init();
        LocalKadmin admin = new LocalKadminImpl(server.getKdcSetting(), server.getIdentityService());
        admin.createBuiltinPrincipals();
        server.start();
        return new TestKdc(realm, port, server, admin);
    }

    /** Adds {@code name@REALM} (or a name with its own realm, for cross-realm trust) with a password. */
    public void addPrincipal(String name, String password) throws KrbException {
        admin.addPrincipal(name, password);
    }

    /** Adds a principal with a random key and writes its keys into {@code keytab}. */
    public void addPrincipalToKeytab(String name, File keytab) throws KrbException {
        admin.addPrincipal(name);
        admin.exportKeytab(keytab, name + (name.contains("@") ? "" : "@" + realm));
    }

    /** The {@code [realms]} entry of a krb5.conf for this KDC. */
    public String krb5ConfRealm() {
        return "  " + realm + " = {\n    kdc = 127.0.0.1:" + port + "\n  }\n";
    }

    /** Logs {@code name@REALM} in with its password and stores its ticket-granting ticket in {@code cache}, as kinit does. */
    public void writeTicketCache(String name, String password, File cache) throws KrbException {
        KrbClient client = new KrbClient(new KrbConfig());
        client.setKdcRealm(realm);
        client.setKdcHost("127.0.0.1");
        client.setKdcTcpPort(port);
        client.setAllowTcp(true);
        client.setAllowUdp(false);
        client.init();
        client.storeTicket(client.requestTgt(name + "@" + realm, password), cache);
    }

    /**
     * A krb5.conf for this KDC alone: its realm is the default one, and the realm of hosts in
     * the DNS domain of the same name (realm CORP.EXAMPLE.COM: hosts *.corp.example.com), which
     * are taken as written, not looked up.
     */
    public String krb5Conf() {
        return "[libdefaults]\n  default_realm = " + realm + "\n  udp_preference_limit = 1\n"
                + "  dns_lookup_kdc = false\n  dns_lookup_realm = false\n  dns_canonicalize_hostname = false\n"
                + "[realms]\n" + krb5ConfRealm()
                + "[domain_realm]\n  ." + realm.toLowerCase(Locale.ROOT) + " = " + realm + "\n";
    }

    @Override
    public void close() throws KrbException {
        server.stop();
    }
}
