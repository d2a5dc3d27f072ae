package vn.ndx.audit.export;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * Writes a {@link CsvTable} as RFC 4180 CSV: a header row, then one row per item, UTF-8. A text cell that a
 * spreadsheet would run as a formula (beginning with {@code = + - @}, tab or CR) gets a leading {@code '}:
 * an imported source such as {@code =HYPERLINK(...)} must reach an operator's spreadsheet as text (OWASP
 * CSV injection).
 */
class CsvMessageConverter extends AbstractHttpMessageConverter<CsvTable> {

    static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    CsvMessageConverter() {
        super(StandardCharsets.UTF_8, TEXT_CSV);
    }

    static @Nullable Object inert(@Nullable Object cell) {
        if (cell instanceof CharSequence text && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            return "'" + text;
        }
        return cell;
    }

    @Override
    protected boolean supports(Class<?> type) {
        return CsvTable.class.isAssignableFrom(type);
    }

    @Override
    protected boolean canRead(MediaType mediaType) {
        return false; // answers only; imports read their CSV themselves, to report bad lines precisely
    }

    @Override
    protected CsvTable readInternal(Class<? extends CsvTable> type, HttpInputMessage input) {
        throw new HttpMessageNotReadableException("CSV is not read into objects", input);
    }

    @Override
    protected void writeInternal(CsvTable table, HttpOutputMessage output) throws IOException {
        var writer = new OutputStreamWriter(output.getBody(), StandardCharsets.UTF_8);
        var format = CSVFormat.RFC4180.builder().setHeader(table.csvHeader().toArray(String[]::new)).get();
        var printer = new CSVPrinter(writer, format);
        for (List<?> row : table.csvRows()) {
            printer.printRecord(row.stream().map(CsvMessageConverter::inert).toList());
        }
        printer.flush(); // not closed: the response stream belongs to the container

    }
}
