package vn.ndx.audit.history;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.audit.export.CsvTable;
import vn.ndx.contract.Headers;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.RegistrySnapshot;

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

    static final int MAX_IMPORT_BYTES = 1 << 20;

    private final HistoryImporter importer;

    HistoryController(HistoryImporter importer) {
        this.importer = importer;
    }

    /**
     * Published history is rewritten by a platform administrator only (the gateway names the operator's role,
     * under its proof), from a file of 1 MiB at most: ten years of daily figures take a tenth of that.
     */
    @PostMapping(path = "/stats/history", consumes = "text/csv")
    Imported importCsv(@RequestHeader(name = Headers.OPERATOR_ROLE, required = false) @Nullable String role, InputStream body)
            throws IOException {
        if (!RegistrySnapshot.Operator.PLATFORM_ADMIN.equals(role)) {
            throw new ProblemException(ProblemCode.OUT_OF_SCOPE, "Only a platform administrator may import history");
        }
        byte[] csv = body.readNBytes(MAX_IMPORT_BYTES + 1);
        if (csv.length > MAX_IMPORT_BYTES) {
            throw new ProblemException(ProblemCode.PAYLOAD_TOO_LARGE, "A history file may have at most " + MAX_IMPORT_BYTES + " bytes");
        }
        return new Imported(importer.store(importer.parse(new StringReader(new String(csv, StandardCharsets.UTF_8)))));
    }

    @GetMapping("/stats/history")
    Figures list() {
        return new Figures(importer.all());
    }
}
