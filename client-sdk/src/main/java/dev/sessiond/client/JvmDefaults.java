package dev.sessiond.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The culture a {@link SessiondClient} sends unless told otherwise (SPEC §9): the JVM's default
 * locale for formatting, its display locale, the system zone's current offset and the local
 * host name. Read at every call, so a changed default or a DST switch shows at once; only the
 * host name is looked up once per client.
 */
final class JvmDefaults {

    private JvmDefaults() {}

    static Locale culture() {
        return Locale.getDefault(Locale.Category.FORMAT);
    }

    static Locale uiCulture() {
        return Locale.getDefault(Locale.Category.DISPLAY);
    }

    /** The system default zone's offset now. */
    static ZoneOffset utcOffset() {
        return ZoneId.systemDefault().getRules().getOffset(Instant.now());
    }

    /**
     * A supplier of this machine's name that asks the resolver on first use only; when the
     * resolver cannot tell, it falls back to the {@code HOSTNAME} / {@code COMPUTERNAME}
     * environment variables and then to nothing (the key is not sent). Thread-safe.
     */
    static Supplier<String> localHostName() {
        return new Supplier<>() {
            private volatile String name;

            @Override
            public String get() {
                String known = name;
                if (known == null) {
                    known = lookUp();
                    name = known;
                }
                return known;
            }
        };
    }

    private static String lookUp() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException | SecurityException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME"))
                    .or(() -> Optional.ofNullable(System.getenv("COMPUTERNAME")))
                    .orElse("");
        }
    }
}
