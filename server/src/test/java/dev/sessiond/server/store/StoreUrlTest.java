package dev.sessiond.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoreUrlTest {

    @Test
    void h2_isToldNotToCloseTheDatabaseInItsOwnShutdownHook() {
        assertThat(Store.jdbcUrl("jdbc:h2:file:./data/sessiond")).isEqualTo("jdbc:h2:file:./data/sessiond;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(Store.jdbcUrl("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1")).endsWith(";DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE");
    }

    @Test
    void anExplicitChoiceAndOtherDatabases_areLeftAlone() {
        assertThat(Store.jdbcUrl("jdbc:h2:file:x;db_close_on_exit=true")).isEqualTo("jdbc:h2:file:x;db_close_on_exit=true");
        assertThat(Store.jdbcUrl("jdbc:postgresql://db/sessiond")).isEqualTo("jdbc:postgresql://db/sessiond");
    }
}
