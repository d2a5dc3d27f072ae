package vn.ndx.audit.citizen;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import vn.ndx.audit.export.CsvPage;

/**
 * One use of a citizen's data as the citizen sees it: who (agency and system), what (the provider's service),
 * when, why (the purpose named) and with what outcome. The transaction id lets the citizen name the access
 * in a complaint; nothing else of the call is shown.
 */
record CitizenAccess(String transactionId, Instant at, @Nullable String consumerAgency, @Nullable String consumerSystem,
                     @Nullable String providerAgency, @Nullable String providerSystem, @Nullable String service,
                     @Nullable String purpose, String outcome) implements CsvPage.Row {

    static final String COLUMNS = """
            transaction_id, started_at, consumer_agency, consumer_system, provider_agency, provider_system, service, purpose,
            outcome""";

    static final List<String> HEADER = List.of("transactionId", "at", "consumerAgency", "consumerSystem", "providerAgency",
            "providerSystem", "service", "purpose", "outcome");

    static CitizenAccess read(ResultSet row, int rowNumber) throws SQLException {
        return new CitizenAccess(row.getString(1), row.getObject(2, OffsetDateTime.class).toInstant(), row.getString(3),
                row.getString(4), row.getString(5), row.getString(6), row.getString(7), row.getString(8), row.getString(9));
    }

    @Override
    public List<?> csvRow() {
        return Arrays.asList(transactionId, at, consumerAgency, consumerSystem, providerAgency, providerSystem, service, purpose,
                outcome);
    }
}
