package vn.ndx.audit;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;

/**
 * An inclusive range of Asia/Ho_Chi_Minh calendar days, as every statistics question is asked: both ends
 * required, {@code from} not after {@code to}, and not longer than operators may ask for at once (a range
 * bounds the work of one request).
 */
public record DayRange(LocalDate from, LocalDate to) {

    public static DayRange parse(@Nullable String from, @Nullable String to, int maxDays) {
        var range = new DayRange(day("from", from), day("to", to));
        if (range.to.isBefore(range.from)) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "from must not be after to");
        }
        if (range.days() > maxDays) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "Ask for at most " + maxDays + " days at once");
        }
        return range;
    }

    public long days() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    public static LocalDate day(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, name + " is required, as YYYY-MM-DD");
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, name + " must be a date as YYYY-MM-DD");
        }
    }
}
