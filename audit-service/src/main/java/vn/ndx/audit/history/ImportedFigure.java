package vn.ndx.audit.history;

import java.time.Instant;
import java.time.LocalDate;

import org.jspecify.annotations.Nullable;

/**
 * A total from before the platform, for one day ({@code 2022-01-28}) or one month ({@code 2022-01}).
 *
 * @param asOf   when the figure was taken, if before the end of its period (a month reported on its 28th)
 * @param source where the figure comes from, for whoever reads it later
 */
record ImportedFigure(String period, LocalDate firstDay, LocalDate lastDay, long total, @Nullable Instant asOf,
                      @Nullable String source) {
}
