package vn.ndx.registry.admin;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;
import vn.ndx.registry.web.VietnameseDays;

import static org.assertj.core.api.Assertions.assertThat;

/** An assessment made this morning in Hanoi is not in the future because UTC has not reached that day yet. */
class AssessmentDateTest {

    /** 00:30 on 7 December in Hanoi: still 6 December in UTC. */
    static final Clock JUST_AFTER_MIDNIGHT_IN_HANOI = Clock.fixed(Instant.parse("2026-12-06T17:30:00Z"), ZoneOffset.UTC);

    @Test
    void today_in_vietnam_is_past_or_present_whatever_the_servers_zone() {
        var made = new AssessmentAdmin.NewAssessment("000.00.00.H29", "housing-registry", null, LocalDate.parse("2026-12-07"),
                "Sở TT&TT TP.HCM", "ATTT-2026-0901");

        assertThat(validator(() -> JUST_AFTER_MIDNIGHT_IN_HANOI).validate(made)).as("as a UTC clock sees it").isNotEmpty();
        assertThat(validator(VietnameseDays.clockProvider(JUST_AFTER_MIDNIGHT_IN_HANOI)).validate(made)).isEmpty();
    }

    @Test
    void tomorrow_in_vietnam_is_still_refused() {
        var early = new AssessmentAdmin.NewAssessment("000.00.00.H29", "housing-registry", null, LocalDate.parse("2026-12-08"),
                "Sở TT&TT TP.HCM", "ATTT-2026-0901");

        assertThat(validator(VietnameseDays.clockProvider(JUST_AFTER_MIDNIGHT_IN_HANOI)).validate(early))
                .singleElement().satisfies(v -> assertThat(v.getPropertyPath().toString()).isEqualTo("assessedOn"));
    }

    private static Validator validator(jakarta.validation.ClockProvider clocks) {
        return Validation.byDefaultProvider().configure().clockProvider(clocks).buildValidatorFactory().getValidator();
    }
}
