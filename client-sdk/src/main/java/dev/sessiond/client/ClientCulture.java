package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import io.grpc.Metadata;
import java.net.IDN;
import java.time.DateTimeException;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * What a call tells sessiond about its client (SPEC §2): culture, UI culture, offset from UTC
 * and the client machine's name, sent as the four {@code sessiond-client-*} metadata keys. An
 * empty component is not sent, which means "server default" (or, when validating a token,
 * "the session's stored value"). Immutable.
 *
 * <p>{@link Locale#ROOT} and a blank host name count as empty. When written to metadata a
 * culture whose tag is longer than sessiond accepts (35 characters) loses its extensions, and a
 * host name that is not ASCII is converted with IDNA or left out, so that an odd JVM default can
 * never make calls fail.
 *
 * @param culture the culture for formatting, e.g. {@code ru-RU}
 * @param uiCulture the culture of the user interface
 * @param utcOffset the client's current offset from UTC
 * @param clientHost the client machine's name
 */
public record ClientCulture(
        Optional<Locale> culture,
        Optional<Locale> uiCulture,
        Optional<ZoneOffset> utcOffset,
        Optional<String> clientHost) {

    /** Sends nothing: every component is left to the server's default. */
    public static final ClientCulture NONE =
            new ClientCulture(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /** sessiond's limit for a culture tag. */
    static final int MAX_TAG = 35;
    /** sessiond's limit for a host name. */
    static final int MAX_HOST = 255;

    public ClientCulture {
        requireNonNull(culture, "culture");
        requireNonNull(uiCulture, "uiCulture");
        requireNonNull(utcOffset, "utcOffset");
        requireNonNull(clientHost, "clientHost");
        culture = culture.filter(l -> !l.equals(Locale.ROOT));
        uiCulture = uiCulture.filter(l -> !l.equals(Locale.ROOT));
        clientHost = clientHost.map(String::strip).filter(h -> !h.isEmpty());
    }

    /** All four components. */
    public static ClientCulture of(Locale culture, Locale uiCulture, ZoneOffset utcOffset, String clientHost) {
        return new ClientCulture(Optional.of(requireNonNull(culture, "culture")),
                Optional.of(requireNonNull(uiCulture, "uiCulture")),
                Optional.of(requireNonNull(utcOffset, "utcOffset")),
                Optional.of(requireNonNull(clientHost, "clientHost")));
    }

    public ClientCulture withCulture(Locale value) {
        return new ClientCulture(Optional.of(requireNonNull(value, "culture")), uiCulture, utcOffset, clientHost);
    }

    public ClientCulture withUiCulture(Locale value) {
        return new ClientCulture(culture, Optional.of(requireNonNull(value, "uiCulture")), utcOffset, clientHost);
    }

    public ClientCulture withUtcOffset(ZoneOffset value) {
        return new ClientCulture(culture, uiCulture, Optional.of(requireNonNull(value, "utcOffset")), clientHost);
    }

    public ClientCulture withClientHost(String value) {
        return new ClientCulture(culture, uiCulture, utcOffset, Optional.of(requireNonNull(value, "clientHost")));
    }

    /** This culture as metadata, e.g. for a generated stub: only the keys of present components. */
    public Metadata toMetadata() {
        Metadata headers = new Metadata();
        writeTo(headers);
        return headers;
    }

    /** Puts the present components into {@code headers}, leaving keys the call has set already alone. */
    void writeTo(Metadata headers) {
        put(headers, SessiondMetadata.CLIENT_CULTURE, culture.flatMap(ClientCulture::tag));
        put(headers, SessiondMetadata.CLIENT_UI_CULTURE, uiCulture.flatMap(ClientCulture::tag));
        put(headers, SessiondMetadata.CLIENT_UTC_OFFSET, utcOffset.map(ZoneOffset::getId));
        put(headers, SessiondMetadata.CLIENT_HOST, clientHost.flatMap(ClientCulture::asciiHost));
    }

    /**
     * The culture a call sent, read leniently: a malformed value counts as absent (sessiond
     * itself rejects it; a service behind {@link SessionAuthInterceptor} just ignores it).
     */
    public static ClientCulture fromMetadata(Metadata headers) {
        return new ClientCulture(
                Optional.ofNullable(headers.get(SessiondMetadata.CLIENT_CULTURE)).map(ClientCulture::parseLocale),
                Optional.ofNullable(headers.get(SessiondMetadata.CLIENT_UI_CULTURE)).map(ClientCulture::parseLocale),
                Optional.ofNullable(headers.get(SessiondMetadata.CLIENT_UTC_OFFSET)).flatMap(ClientCulture::parseOffset),
                Optional.ofNullable(headers.get(SessiondMetadata.CLIENT_HOST)));
    }

    /** The components of {@code fallback} where this one is empty. */
    public ClientCulture orElse(ClientCulture fallback) {
        return new ClientCulture(
                culture.or(fallback::culture),
                uiCulture.or(fallback::uiCulture),
                utcOffset.or(fallback::utcOffset),
                clientHost.or(fallback::clientHost));
    }

    /** The BCP 47 tag sessiond accepts for {@code locale}, if there is one. */
    static Optional<String> tag(Locale locale) {
        String tag = locale.toLanguageTag();
        if (tag.length() > MAX_TAG) {
            tag = locale.stripExtensions().toLanguageTag();
        }
        return tag.length() <= MAX_TAG && !tag.equals("und") ? Optional.of(tag) : Optional.empty();
    }

    /** The host name as printable ASCII (IDNA for international names), if it can be one. */
    static Optional<String> asciiHost(String host) {
        String ascii = host;
        if (!isPrintableAscii(ascii)) {
            try {
                ascii = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return !ascii.isEmpty() && ascii.length() <= MAX_HOST && isPrintableAscii(ascii)
                ? Optional.of(ascii) : Optional.empty();
    }

    static Locale parseLocale(String tag) {
        return Locale.forLanguageTag(tag.strip());
    }

    static Optional<ZoneOffset> parseOffset(String value) {
        try {
            return Optional.of(ZoneOffset.of(value.strip()));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static boolean isPrintableAscii(String s) {
        return s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    private static void put(Metadata headers, Metadata.Key<String> key, Optional<String> value) {
        if (value.isPresent() && !headers.containsKey(key)) {
            headers.put(key, value.get());
        }
    }
}
