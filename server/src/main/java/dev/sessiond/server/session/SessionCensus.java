package dev.sessiond.server.session;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.license.SeatPool;
import dev.sessiond.server.store.StoreErrors;
import dev.sessiond.server.user.LicenseType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Counts for the metrics gauges, read from the store (so that every replica reports the
 * deployment's numbers, not just its own): active sessions by licence type and client kind,
 * seats held and their high-water mark, and the configuration version. One read-only
 * transaction of four small queries; meant to run once per scrape. Thread-safe.
 */
public final class SessionCensus {

    /** Open (unexpired, by stored activity) and active sessions of one licence type and client kind. */
    public record Active(LicenseType licenseType, ClientKind clientKind, long sessions) {
        public Active {
            requireNonNull(licenseType, "licenseType");
            requireNonNull(clientKind, "clientKind");
        }
    }

    /** One reading of the store. */
    public record Counts(List<Active> active, int seatsInUse, int seatsHighWater, long configurationVersion) {
        public Counts {
            active = List.copyOf(active);
        }
    }

    private final Jdbi jdbi;
    private final SessionService sessions;
    private final SeatPool seats;
    private final SessionPolicy policy;
    private final Clock clock;

    public SessionCensus(Jdbi jdbi, SessionService sessions, SeatPool seats, SessionPolicy policy, Clock clock) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.sessions = requireNonNull(sessions, "sessions");
        this.seats = requireNonNull(seats, "seats");
        this.policy = requireNonNull(policy, "policy");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Reads the counts. @throws dev.sessiond.server.error.StoreUnavailableException while the store is away */
    public Counts take() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long cutoff = now.minus(policy.idleTimeout(ClientKind.OTHER)).toEpochMilli();
        long desktopCutoff = now.minus(policy.idleTimeout(ClientKind.DESKTOP)).toEpochMilli();
        return StoreErrors.guard(() -> jdbi.inTransaction(h -> {
            List<Active> active = h.attach(CensusDao.class).active(now.toEpochMilli(), cutoff, desktopCutoff);
            return new Counts(active, seats.seatsInUse(h, sessions.window(now)), seats.highWater(h),
                    SessionDao.readConfigurationVersion(h));
        }));
    }

    interface CensusDao {
        @SqlQuery("""
                SELECT license_type, client_kind, COUNT(*) AS sessions FROM sessions
                WHERE is_active AND lifetime_end_ms > :now
                  AND ((client_kind = 'DESKTOP' AND last_activity_ms > :desktopCutoff)
                       OR (client_kind <> 'DESKTOP' AND last_activity_ms > :cutoff))
                GROUP BY license_type, client_kind""")
        @RegisterRowMapper(ActiveMapper.class)
        List<Active> active(@Bind("now") long now, @Bind("cutoff") long cutoff, @Bind("desktopCutoff") long desktopCutoff);
    }

    /** Public, so that Jdbi can construct it. */
    public static final class ActiveMapper implements RowMapper<Active> {
        @Override
        public Active map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Active(LicenseType.valueOf(rs.getString("license_type")),
                    ClientKind.valueOf(rs.getString("client_kind")), rs.getLong("sessions"));
        }
    }
}
