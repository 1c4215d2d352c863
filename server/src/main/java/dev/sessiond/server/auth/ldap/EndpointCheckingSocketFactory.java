package dev.sessiond.server.auth.ldap;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS sockets that check the directory's certificate against the host name (or address) they
 * were opened for, during the handshake (JDK endpoint identification, {@code LDAPS} rules).
 *
 * <p>Why not UnboundID's {@code HostNameSSLSocketVerifier}: it checks after connecting, by
 * forcing the handshake outside the connect timeout, so a server that accepts TCP but never
 * speaks TLS would hold a sign-in forever. Here the handshake runs under the connection's
 * timeouts.
 */
final class EndpointCheckingSocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory delegate;

    EndpointCheckingSocketFactory(SSLSocketFactory delegate) {
        this.delegate = requireNonNull(delegate, "delegate");
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return checked(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return checked(delegate.createSocket(socket, host, port, autoClose));
    }

    @Override
    public Socket createSocket(Socket socket, InputStream consumed, boolean autoClose) throws IOException {
        return checked(delegate.createSocket(socket, consumed, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return checked(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return checked(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return checked(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return checked(delegate.createSocket(address, port, localAddress, localPort));
    }

    private static Socket checked(Socket socket) {
        if (socket instanceof SSLSocket ssl) {
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("LDAPS");
            ssl.setSSLParameters(parameters);
        }
        return socket;
    }
}
