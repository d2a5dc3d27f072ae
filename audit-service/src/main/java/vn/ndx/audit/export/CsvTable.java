package vn.ndx.audit.export;

import java.util.List;

/**
 * An answer that is also a table, so operators get it as CSV by asking {@code Accept: text/csv}. The
 * header names are the JSON field names, so both forms of one answer can be compared column by column.
 */
public interface CsvTable {

    List<String> csvHeader();

    /** One list of cells per row, in header order; null cells are written empty. */
    List<List<?>> csvRows();
}
