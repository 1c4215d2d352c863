package dev.sessiond.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessiond.proto.v1.ClientKind;
import dev.sessiond.proto.v1.SessionClientType;
import dev.sessiond.proto.v1.SessionInfo;
import dev.sessiond.proto.v1.SessionInfoFlag;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class SessionInfoFormatTest {

    private static final SessionInfo LEVEL_10 = SessionInfo.newBuilder()
            .setClientHost("WS-042").setUserName("alice").setActiveSeconds(3725).build();

    @Test
    void toJson_printsExactlyTheLevelsFields_zerosIncluded() {
        assertThat(SessionInfoFormat.LEVEL_10.toJson(LEVEL_10))
                .isEqualTo("{\"clientHost\":\"WS-042\",\"userName\":\"alice\",\"activeSeconds\":\"3725\",\"idleSeconds\":\"0\"}");
        assertThat(SessionInfoFormat.LEVEL_0.toJson(SessionInfo.newBuilder().setClientHost("WS-1").build()))
                .isEqualTo("{\"clientHost\":\"WS-1\"}");
    }

    @Test
    void table_showsDurationsLikeNetSession_andNamesFlags() {
        SessionInfo info = LEVEL_10.toBuilder().setIdleSeconds(90_061).setOpenCount(2)
                .addFlags(SessionInfoFlag.SESSION_INFO_FLAG_ADMIN)
                .addFlags(SessionInfoFlag.SESSION_INFO_FLAG_PLAINTEXT_TRANSPORT)
                .setClientType(SessionClientType.newBuilder().setApplicationId("desktop-client")
                        .setClientKind(ClientKind.CLIENT_KIND_DESKTOP)).build();
        Table table = SessionInfoFormat.LEVEL_2.table();
        SessionInfoFormat.LEVEL_2.addRow(table, info);
        StringWriter text = new StringWriter();
        table.print(new PrintWriter(text, true));

        assertThat(text.toString().lines()).containsExactly(
                "CLIENT  USER   CLIENT TYPE               OPENS  ACTIVE    IDLE      FLAGS",
                "------  -----  ------------------------  -----  --------  --------  ---------------",
                "WS-042  alice  desktop-client (desktop)  2      01:02:05  25:01:01  admin,plaintext");
    }

    @Test
    void printDetails_labelsEachFieldOfTheLevel() {
        StringWriter text = new StringWriter();
        SessionInfoFormat.LEVEL_10.printDetails(new PrintWriter(text, true), LEVEL_10);

        assertThat(text.toString().lines()).containsExactly(
                "Client        WS-042",
                "User name     alice",
                "Session time  01:02:05",
                "Idle time     00:00:00");
    }

    @Test
    void of_knowsTheFiveLevels() {
        assertThat(SessionInfoFormat.of(502)).isEqualTo(SessionInfoFormat.LEVEL_502);
        assertThatThrownBy(() -> SessionInfoFormat.of(3)).hasMessageContaining("0, 1, 2, 10 or 502");
    }
}
