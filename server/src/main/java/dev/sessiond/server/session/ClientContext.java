package dev.sessiond.server.session;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.audit.Actor;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * What a call tells about its client: cultures and host name from metadata, peer address and
 * transport from the connection. Empty strings mean "not sent".
 *
 * @param culture BCP 47 culture, e.g. {@code ru-RU}
 * @param uiCulture BCP 47 UI culture
 * @param utcOffset the client's offset from UTC
 * @param clientHost the client machine's name
 * @param clientAddress the peer IP address
 * @param transport {@code grpc} or {@code grpc+tls}
 */
public record ClientContext(
        String culture,
        String uiCulture,
        Optional<ZoneOffset> utcOffset,
        String clientHost,
        String clientAddress,
        String transport) {

    public ClientContext {
        requireNonNull(culture, "culture");
        requireNonNull(uiCulture, "uiCulture");
        requireNonNull(utcOffset, "utcOffset");
        requireNonNull(clientHost, "clientHost");
        requireNonNull(clientAddress, "clientAddress");
        requireNonNull(transport, "transport");
    }

    /** The same client with its cultures replaced by those of {@code call} where it sent any. */
    public ClientContext withCulturesOf(ClientContext call) {
        return new ClientContext(
                call.culture.isEmpty() ? culture : call.culture,
                call.uiCulture.isEmpty() ? uiCulture : call.uiCulture,
                call.utcOffset.isPresent() ? call.utcOffset : utcOffset,
                clientHost, clientAddress, transport);
    }

    /** This client acting anonymously (before login), for audit events. */
    public Actor anonymousActor() {
        return Actor.anonymous(clientHost, clientAddress);
    }
}
