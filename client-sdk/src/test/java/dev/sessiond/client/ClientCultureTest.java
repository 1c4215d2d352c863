package dev.sessiond.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class ClientCultureTest {

    @Test
    void toMetadata_writesTheFourKeysAsTheContractSpellsThem() {
        Metadata headers = ClientCulture.of(Locale.forLanguageTag("ru-RU"), Locale.forLanguageTag("en-US"),
                ZoneOffset.ofHours(3), "WS-042").toMetadata();

        assertThat(headers.get(SessiondMetadata.CLIENT_CULTURE)).isEqualTo("ru-RU");
        assertThat(headers.get(SessiondMetadata.CLIENT_UI_CULTURE)).isEqualTo("en-US");
        assertThat(headers.get(SessiondMetadata.CLIENT_UTC_OFFSET)).isEqualTo("+03:00");
        assertThat(headers.get(SessiondMetadata.CLIENT_HOST)).isEqualTo("WS-042");
    }

    @Test
    void toMetadata_writesUtcAsZ_andHalfHourOffsets() {
        assertThat(ClientCulture.NONE.withUtcOffset(ZoneOffset.UTC).toMetadata().get(SessiondMetadata.CLIENT_UTC_OFFSET))
                .isEqualTo("Z");
        assertThat(ClientCulture.NONE.withUtcOffset(ZoneOffset.ofHoursMinutes(-9, -30)).toMetadata()
                .get(SessiondMetadata.CLIENT_UTC_OFFSET)).isEqualTo("-09:30");
    }

    @Test
    void none_writesNothing() {
        assertThat(ClientCulture.NONE.toMetadata().keys()).isEmpty();
    }

    @Test
    void rootLocaleAndBlankHost_countAsAbsent() {
        ClientCulture culture = ClientCulture.of(Locale.ROOT, Locale.ROOT, ZoneOffset.UTC, "  ");

        assertThat(culture.culture()).isEmpty();
        assertThat(culture.uiCulture()).isEmpty();
        assertThat(culture.clientHost()).isEmpty();
        assertThat(culture.toMetadata().keys()).containsExactly(SessiondMetadata.CLIENT_UTC_OFFSET.name());
    }

    @Test
    void aTagLongerThanTheServerAccepts_losesItsExtensions() {
        Locale withExtensions = Locale.forLanguageTag("de-DE-u-ca-gregory-co-phonebk-nu-latn-x-private");

        assertThat(withExtensions.toLanguageTag().length()).isGreaterThan(ClientCulture.MAX_TAG);
        assertThat(ClientCulture.tag(withExtensions)).contains("de-DE");
    }

    @Test
    void anInternationalHostName_isSentInIdnaForm_andAnImpossibleOneNotAtAll() {
        assertThat(ClientCulture.asciiHost("рабочая-станция")).contains("xn----7sbabc9b8aeppl4cg7ih");
        assertThat(ClientCulture.asciiHost("ws 042")).isEmpty();
        assertThat(ClientCulture.asciiHost("h".repeat(256))).isEmpty();
    }

    @Test
    void writeTo_leavesKeysTheCallSetAlone() {
        Metadata headers = new Metadata();
        headers.put(SessiondMetadata.CLIENT_CULTURE, "fr-FR");

        ClientCulture.NONE.withCulture(Locale.GERMANY).withClientHost("ws-1").writeTo(headers);

        assertThat(headers.getAll(SessiondMetadata.CLIENT_CULTURE)).containsExactly("fr-FR");
        assertThat(headers.get(SessiondMetadata.CLIENT_HOST)).isEqualTo("ws-1");
    }

    @Test
    void fromMetadata_readsWhatToMetadataWrote() {
        ClientCulture sent = ClientCulture.of(Locale.forLanguageTag("ru-RU"), Locale.forLanguageTag("en-US"),
                ZoneOffset.ofHoursMinutes(5, 30), "WS-042");

        assertThat(ClientCulture.fromMetadata(sent.toMetadata())).isEqualTo(sent);
    }

    @Test
    void fromMetadata_ignoresMalformedValues() {
        Metadata headers = new Metadata();
        headers.put(SessiondMetadata.CLIENT_CULTURE, "!!");
        headers.put(SessiondMetadata.CLIENT_UTC_OFFSET, "three hours east");

        ClientCulture read = ClientCulture.fromMetadata(headers);

        assertThat(read.culture()).isEmpty();
        assertThat(read.utcOffset()).isEmpty();
    }

    @Test
    void orElse_fillsOnlyTheEmptyComponents() {
        ClientCulture call = ClientCulture.NONE.withCulture(Locale.GERMANY);
        ClientCulture stored = ClientCulture.of(Locale.FRANCE, Locale.UK, ZoneOffset.ofHours(1), "ws-9");

        assertThat(call.orElse(stored)).isEqualTo(ClientCulture.of(Locale.GERMANY, Locale.UK, ZoneOffset.ofHours(1), "ws-9"));
    }

    @Test
    void jvmDefaults_followTheJvmsLocalesAndZone() {
        Locale format = Locale.getDefault(Locale.Category.FORMAT);
        Locale display = Locale.getDefault(Locale.Category.DISPLAY);
        TimeZone zone = TimeZone.getDefault();
        try {
            Locale.setDefault(Locale.Category.FORMAT, Locale.forLanguageTag("ru-RU"));
            Locale.setDefault(Locale.Category.DISPLAY, Locale.forLanguageTag("en-GB"));
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata")); // +05:30 all year

            assertThat(JvmDefaults.culture()).isEqualTo(Locale.forLanguageTag("ru-RU"));
            assertThat(JvmDefaults.uiCulture()).isEqualTo(Locale.forLanguageTag("en-GB"));
            assertThat(JvmDefaults.utcOffset()).isEqualTo(ZoneOffset.ofHoursMinutes(5, 30));
        } finally {
            Locale.setDefault(Locale.Category.FORMAT, format);
            Locale.setDefault(Locale.Category.DISPLAY, display);
            TimeZone.setDefault(zone);
        }
    }

    @Test
    void localHostName_isTheResolversName_askedOnce() throws Exception {
        var supplier = JvmDefaults.localHostName();

        String name = supplier.get();

        assertThat(name).isEqualTo(java.net.InetAddress.getLocalHost().getHostName());
        assertThat(supplier.get()).isSameAs(name);
    }

    @Test
    void builderSuppliersReturningNull_sendNothing() {
        var source = SessiondClientBuilder.cultureSource(() -> null, () -> null, () -> null, () -> null);

        assertThat(source.get()).isEqualTo(ClientCulture.NONE);
        assertThat(source.get().culture()).isEqualTo(Optional.empty());
    }
}
