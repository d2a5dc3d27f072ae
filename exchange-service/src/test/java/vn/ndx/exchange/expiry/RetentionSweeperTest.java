package vn.ndx.exchange.expiry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** An expiry is counted once because its transaction id depends on nothing but the record. */
class RetentionSweeperTest {

    @Test
    void the_expiry_id_is_a_version_7_uuid_at_the_deadline_and_the_same_for_the_same_record() {
        Instant deadline = Instant.parse("2026-11-26T17:00:00.123Z");
        String record = "019ab3c2-7f1e-7c3a-9d2b-5b8f0e6a1c44";

        UUID id = UUID.fromString(RetentionSweeper.expiryId(record, deadline));

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(deadline.toEpochMilli());
        assertThat(RetentionSweeper.expiryId(record, deadline)).isEqualTo(id.toString());
        assertThat(RetentionSweeper.expiryId("019ab3c2-7f1e-7c3a-9d2b-5b8f0e6a1c45", deadline)).isNotEqualTo(id.toString());
    }
}
