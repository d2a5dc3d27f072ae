package vn.ndx.audit.export;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One page of a search, as JSON ({@code items, page, size, hasMore}) or, asked for, as CSV with the rows'
 * own header. A search fetches one row more than the page holds: that row says whether more follow.
 */
public record CsvPage<T extends CsvPage.Row>(List<T> items, int page, int size, boolean hasMore,
                                             @JsonIgnore List<String> csvHeader) implements CsvTable {

    /** A row of a page: its cells in the order of the page's header. */
    public interface Row {
        List<?> csvRow();
    }

    /** The page of {@code size} rows from {@code fetched}, which holds up to {@code size + 1}. */
    public static <T extends Row> CsvPage<T> of(List<T> fetched, int page, int size, List<String> header) {
        boolean hasMore = fetched.size() > size;
        return new CsvPage<>(hasMore ? fetched.subList(0, size) : fetched, page, size, hasMore, header);
    }

    @Override
    public List<List<?>> csvRows() {
        return items.stream().<List<?>>map(Row::csvRow).toList();
    }
}
