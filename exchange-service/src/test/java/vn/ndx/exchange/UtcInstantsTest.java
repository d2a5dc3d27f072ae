package vn.ndx.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class UtcInstantsTest {

    final JsonMapper json = JsonMapper.builder().build();
    final JsonMapper fast = fast();

    private static JsonMapper fast() {
        var builder = JsonMapper.builder();
        new UtcInstants().utcInstantReader().customize(builder);
        return builder.build();
    }

    @Test
    void reads_every_instant_as_written_the_same_as_javas_own_parser() {
        var random = new SplittableRandom(20261126);
        for (int i = 0; i < 100_000; i++) {
            // 1970 to 2100, with whole seconds, millis, micros and nanos as Instant.toString writes them
            long nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000L;
                case 2 -> random.nextInt(1_000_000) * 1_000L;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(random.nextLong(4_102_444_800L), nanos);

            assertThat(UtcInstants.parse(instant.toString())).isEqualTo(instant);
        }
    }

    @Test
    void leaves_every_other_form_to_jacksons_reader() {
        assertThat(UtcInstants.parse("2026-11-26T19:12:47+07:00")).isNull();
        assertThat(UtcInstants.parse("2026-11-26T23:59:60Z")).isNull();
        assertThat(UtcInstants.parse("2026-02-30T10:00:00Z")).isNull();
        assertThat(UtcInstants.parse("2026-11-26T10:00:00.Z")).isNull();
        assertThat(UtcInstants.parse("2026-11-26 10:00:00Z")).isNull();
        assertThat(UtcInstants.parse("+12026-11-26T10:00:00Z")).isNull();

        assertThat(read(fast, "\"2026-11-26T19:12:47+07:00\"")).isEqualTo(Instant.parse("2026-11-26T12:12:47Z"));
        assertThat(read(fast, "1795697100.5")).isEqualTo(read(json, "1795697100.5"));
        assertThat(read(fast, "\"2026-11-26T12:46:50.018Z\"")).isEqualTo(Instant.parse("2026-11-26T12:46:50.018Z"));
        assertThatThrownBy(() -> read(fast, "\"2026-02-30T10:00:00Z\"")).isInstanceOf(tools.jackson.core.JacksonException.class);
    }

    private static Instant read(JsonMapper mapper, String value) {
        return mapper.readValue(value, Instant.class);
    }
}
