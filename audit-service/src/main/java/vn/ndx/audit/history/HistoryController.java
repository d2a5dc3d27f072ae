package vn.ndx.audit.history;

import java.io.StringReader;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.audit.export.CsvTable;

/**
 * {@code POST /stats/history} (a CSV body, {@code Content-Type: text/csv}) imports totals from before the
 * platform; {@code GET /stats/history} lists what was imported.
 */
@RestController
class HistoryController {

    record Imported(int figures) {
    }

    record Figures(@JsonValue List<ImportedFigure> figures) implements CsvTable {
        @Override
        public List<String> csvHeader() {
            return List.of("period", "firstDay", "lastDay", "total", "asOf", "source");
        }

        @Override
        public List<List<?>> csvRows() {
            return figures.stream().<List<?>>map(f -> Arrays.asList(f.period(), f.firstDay(), f.lastDay(), f.total(), f.asOf(), f.source()))
                    .toList();
        }
    }

    private final HistoryImporter importer;

    HistoryController(HistoryImporter importer) {
        this.importer = importer;
    }

    @PostMapping(path = "/stats/history", consumes = "text/csv")
    Imported importCsv(@RequestBody String csv) {
        return new Imported(importer.store(importer.parse(new StringReader(csv))));
    }

    @GetMapping("/stats/history")
    Figures list() {
        return new Figures(importer.all());
    }
}
