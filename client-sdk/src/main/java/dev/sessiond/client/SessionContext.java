package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Duration;
import dev.sessiond.proto.v1.Session;
import dev.sessiond.proto.v1.User;
import io.grpc.Context;
import java.time.DateTimeException;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * The session behind the current call of a service protected by {@link SessionAuthInterceptor},
 * with the call's own culture: what the call sent in its {@code sessiond-client-*} metadata,
 * else what the session stored when it was opened.
 *
 * <pre>{@code
 * SessionContext caller = SessionContext.current();
 * Locale locale = caller.culture().orElse(Locale.ROOT);
 * if (Sessions.isWebClient(caller.session())) { ... }
 * }</pre>
 *
 * Immutable. {@link #toString()} leaves the token out.
 */
public final class SessionContext {

    static final Context.Key<SessionContext> KEY = Context.key("sessiond-session-context");

    private final Session session;
    private final String token;
    private final ClientCulture culture;

    private SessionContext(Session session, String token, ClientCulture culture) {
        this.session = requireNonNull(session, "session");
        this.token = requireNonNull(token, "token");
        this.culture = requireNonNull(culture, "culture");
    }

    /**
     * The context of a validated session and a call that sent {@code call} (components it did
     * not send come from the session).
     */
    static SessionContext of(Session stored, String token, ClientCulture call) {
        ClientCulture effective = call.orElse(storedCulture(stored));
        Session.Builder shown = stored.toBuilder();
        // As sessiond's own ValidateAndGetSession: the call's culture shows in the session's culture fields.
        call.culture().flatMap(ClientCulture::tag).ifPresent(shown::setClientCulture);
        call.uiCulture().flatMap(ClientCulture::tag).ifPresent(shown::setClientUiCulture);
        call.utcOffset().ifPresent(o -> shown.setClientUtcOffset(Duration.newBuilder().setSeconds(o.getTotalSeconds())));
        return new SessionContext(shown.build(), token, effective);
    }

    /** The culture sessiond stored for {@code session} when it was opened. */
    static ClientCulture storedCulture(Session session) {
        return new ClientCulture(
                Optional.of(session.getClientCulture()).filter(t -> !t.isEmpty()).map(ClientCulture::parseLocale),
                Optional.of(session.getClientUiCulture()).filter(t -> !t.isEmpty()).map(ClientCulture::parseLocale),
                session.hasClientUtcOffset() ? offset(session.getClientUtcOffset()) : Optional.empty(),
                Optional.of(session.getClientHost()));
    }

    private static Optional<ZoneOffset> offset(Duration duration) {
        try {
            return Optional.of(ZoneOffset.ofTotalSeconds(Math.toIntExact(duration.getSeconds())));
        } catch (DateTimeException | ArithmeticException e) {
            return Optional.empty(); // sessiond checks offsets; a bad one is simply not known
        }
    }

    /**
     * The context of the current call.
     *
     * @throws IllegalStateException outside a call that passed {@link SessionAuthInterceptor}
     */
    public static SessionContext current() {
        return find().orElseThrow(() -> new IllegalStateException(
                "no SessionContext: this code does not run inside a call that passed SessionAuthInterceptor"));
    }

    /** The context of the current call, if it passed {@link SessionAuthInterceptor}. */
    public static Optional<SessionContext> find() {
        return Optional.ofNullable(KEY.get());
    }

    /** The validated session; its culture fields show the call's culture where the call sent one. */
    public Session session() {
        return session;
    }

    public String sessionId() {
        return session.getId();
    }

    public User user() {
        return session.getUser();
    }

    /** The caller's bearer token, e.g. to call further services on the caller's behalf. */
    public String token() {
        return token;
    }

    /** The call's culture for formatting, else the session's. */
    public Optional<Locale> culture() {
        return culture.culture();
    }

    /** The call's UI culture, else the session's. */
    public Optional<Locale> uiCulture() {
        return culture.uiCulture();
    }

    /** The call's offset from UTC, else the session's. */
    public Optional<ZoneOffset> utcOffset() {
        return culture.utcOffset();
    }

    /** The call's client host, else the session's. */
    public Optional<String> clientHost() {
        return culture.clientHost();
    }

    /** All four, e.g. for {@link SessiondClient#withCulture} when calling on the caller's behalf. */
    public ClientCulture clientCulture() {
        return culture;
    }

    @Override
    public String toString() {
        return "SessionContext[sessionId=" + session.getId() + ", user=" + session.getUser().getLogin()
                + ", culture=" + culture + "]";
    }
}
