package dev.sessiond.server.license;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

interface SeatDao {

    /** Sessions that hold a seat now: active, seat-counting, and live in the window. */
    String HOLDING = " counts_seat AND is_active AND lifetime_end_ms > :now"
            + " AND ((client_kind = 'DESKTOP' AND last_activity_ms > :desktopCutoff)"
            + " OR (client_kind <> 'DESKTOP' AND last_activity_ms > :cutoff)) ";

    /** Locks the pool row and returns the high-water mark. */
    @SqlQuery("SELECT high_water FROM license_pool WHERE id = 1 FOR UPDATE")
    int lockPool();

    /** Seats in use: sessions of one user from one client address share a seat. */
    @SqlQuery("SELECT COUNT(*) FROM (SELECT DISTINCT user_id, client_address FROM sessions WHERE" + HOLDING + ") seats")
    int seatsInUse(@Bind("now") long now, @Bind("cutoff") long cutoff, @Bind("desktopCutoff") long desktopCutoff);

    @SqlQuery("""
            SELECT COUNT(*) FROM sessions
            WHERE user_id = :user AND client_address = :address AND id <> :self AND """ + HOLDING)
    int sharedSeats(@Bind("user") UUID user, @Bind("address") String address, @Bind("self") UUID self,
            @Bind("now") long now, @Bind("cutoff") long cutoff, @Bind("desktopCutoff") long desktopCutoff);

    @SqlQuery("""
            SELECT id FROM sessions WHERE user_id = :user AND id <> :self AND """ + HOLDING + """

            ORDER BY last_activity_ms, id LIMIT 1""")
    Optional<UUID> oldestOwnSeat(@Bind("user") UUID user, @Bind("self") UUID self,
            @Bind("now") long now, @Bind("cutoff") long cutoff, @Bind("desktopCutoff") long desktopCutoff);

    @SqlQuery("""
            SELECT id FROM sessions WHERE last_activity_ms < :idleBefore AND """ + HOLDING + """

            ORDER BY last_activity_ms, id LIMIT 1""")
    Optional<UUID> oldestIdleSeat(@Bind("idleBefore") long idleBefore,
            @Bind("now") long now, @Bind("cutoff") long cutoff, @Bind("desktopCutoff") long desktopCutoff);

    @SqlUpdate("UPDATE license_pool SET high_water = :used WHERE id = 1 AND high_water < :used")
    int raiseHighWater(@Bind("used") int used);

    @SqlQuery("SELECT high_water FROM license_pool WHERE id = 1")
    int highWater();
}
