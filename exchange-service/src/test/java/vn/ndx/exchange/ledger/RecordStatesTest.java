package vn.ndx.exchange.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.ndx.exchange.snapshot.SnapshotFile;

class RecordStatesTest {

    static final Instant ACCEPTED = Instant.parse("2026-11-26T03:15:00.123456Z");

    final RecordStates states = new RecordStates(1_000);

    @Test
    void a_record_accepted_then_delivered_then_acknowledged() {
        String id = UUID.randomUUID().toString();
        states.accepted(id, "000.00.00.H29", "one-stop-portal", "000.00.00.H41", "portal", "business-registration", ACCEPTED);
        states.changed(new RecordStatus(id, State.DELIVERED, ACCEPTED.plusSeconds(1), 1, null));
        states.changed(new RecordStatus(id, State.ACKNOWLEDGED, ACCEPTED.plusSeconds(2)));

        assertThat(states.get(id)).isEqualTo(new RecordStates.View(id, State.ACKNOWLEDGED, "000.00.00.H29", "one-stop-portal",
                "000.00.00.H41", "portal", "business-registration", ACCEPTED, ACCEPTED.plusSeconds(2), 1, null));
    }

    @Test
    void an_older_or_repeated_change_changes_nothing() {
        String id = accept();
        states.changed(new RecordStatus(id, State.DELIVERED, ACCEPTED.plusSeconds(5), 2, "503 from the recipient"));
        states.changed(new RecordStatus(id, State.DELIVERED, ACCEPTED.plusSeconds(3), 1, null));
        states.changed(new RecordStatus(id, State.ACKNOWLEDGED, ACCEPTED.plusSeconds(6)));
        states.changed(new RecordStatus(id, State.DELIVERED, ACCEPTED.plusSeconds(7), 3, null));

        var view = states.get(id);
        assertThat(view.state()).isEqualTo(State.ACKNOWLEDGED);
        assertThat(view.updatedAt()).isEqualTo(ACCEPTED.plusSeconds(6));
        assertThat(view.deliveries()).isEqualTo(2);
        assertThat(view.lastError()).isEqualTo("503 from the recipient");
    }

    @Test
    void a_change_of_a_record_not_held_changes_nothing() {
        String id = UUID.randomUUID().toString();
        assertThat(states.changed(new RecordStatus(id, State.ACKNOWLEDGED, ACCEPTED.plusSeconds(1)))).isFalse();
        assertThat(states.get(id)).isNull();
        assertThat(states.known(id)).isFalse();
    }

    @Test
    void past_its_capacity_the_oldest_records_are_forgotten() {
        String first = accept();
        String second = accept();
        for (int i = 0; i < 998; i++) {
            accept();
        }
        assertThat(states.get(first)).isNotNull();

        String newest = accept();

        assertThat(states.get(first)).isNull();
        assertThat(states.get(second)).isNotNull();
        assertThat(states.get(newest).state()).isEqualTo(State.ACCEPTED);
    }

    @Test
    void times_are_kept_to_the_microsecond() {
        String id = UUID.randomUUID().toString();
        states.accepted(id, "a", "s", "b", "t", "c", Instant.parse("2026-11-26T03:15:00.123456789Z"));

        assertThat(states.get(id).acceptedAt()).isEqualTo(Instant.parse("2026-11-26T03:15:00.123456Z"));
        assertThat(RecordStates.instant(RecordStates.micros(Instant.parse("1969-12-31T23:59:59.5Z"))))
                .isEqualTo(Instant.parse("1969-12-31T23:59:59.5Z"));
    }

    @Test
    void only_canonical_uuids_are_held_and_anything_else_is_unknown() {
        String id = UUID.randomUUID().toString();
        states.accepted(id, "a", "s", "b", "t", "c", ACCEPTED);
        states.accepted("not-a-uuid", "a", "s", "b", "t", "c", ACCEPTED);
        states.changed(new RecordStatus("not-a-uuid", State.ACKNOWLEDGED, ACCEPTED));

        assertThat(states.get(id)).isNotNull();
        assertThat(states.get(id.toUpperCase())).isNull();
        assertThat(states.get("not-a-uuid")).isNull();
        assertThat(states.get("")).isNull();
        assertThat(RecordStates.uuid(id)).containsExactly(UUID.fromString(id).getMostSignificantBits(),
                UUID.fromString(id).getLeastSignificantBits());
        assertThat(RecordStates.uuid(id.replace('-', '_'))).isNull();
    }

    @Test
    void a_snapshot_restores_every_state_and_keeps_the_oldest_first(@TempDir Path directory) throws Exception {
        String acknowledged = accept();
        states.changed(new RecordStatus(acknowledged, State.DELIVERED, ACCEPTED.plusSeconds(1), 2, "503 from the recipient"));
        states.changed(new RecordStatus(acknowledged, State.ACKNOWLEDGED, ACCEPTED.plusSeconds(2)));
        String waiting = accept();
        var file = new SnapshotFile(directory.resolve("inboxes.snapshot"), 1);
        file.write(states::writeTo);

        var restored = new RecordStates(1); // a smaller capacity than the one written: the oldest is left out
        var in = file.read().orElseThrow();
        restored.readFrom(in);
        SnapshotFile.requireEnd(in);

        assertThat(restored.get(acknowledged)).as("the oldest, past the capacity").isNull();
        assertThat(restored.get(waiting)).isEqualTo(states.get(waiting));
        var full = new RecordStates(1_000);
        full.readFrom(file.read().orElseThrow());
        assertThat(full.get(acknowledged)).isEqualTo(states.get(acknowledged));
    }

    private String accept() {
        String id = UUID.randomUUID().toString();
        states.accepted(id, "000.00.00.H29", "one-stop-portal", "000.00.00.H41", "portal", "business-registration", ACCEPTED);
        return id;
    }
}
