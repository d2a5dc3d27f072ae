package vn.ndx.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Statistics count Vietnamese calendar days: a transaction belongs to the Asia/Ho_Chi_Minh date of the
 * instant the platform received it (17:00 UTC is midnight there). The one place that says so.
 */
public final class CalendarDays {

    public static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");

    private CalendarDays() {
    }

    public static LocalDate dayOf(Instant instant) {
        return LocalDate.ofInstant(instant, ZONE);
    }

    public static LocalDate today() {
        return LocalDate.now(ZONE);
    }
}
