package vn.ndx.audit.history;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import vn.ndx.audit.AuditProperties;

/**
 * Imports the configured history once in the life of a database, at its first start: a figure an operator
 * later deletes or corrects is not brought back by a restart. A seed that cannot be read stops the start.
 */
@Component
class HistorySeed implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(HistorySeed.class);
    private static final String MILESTONE = "history-seed";

    private final AuditProperties properties;
    private final HistoryImporter importer;
    private final ResourceLoader resources;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    HistorySeed(AuditProperties properties, HistoryImporter importer, ResourceLoader resources, JdbcTemplate jdbc,
                TransactionTemplate transaction) {
        this.properties = properties;
        this.importer = importer;
        this.resources = resources;
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        String seed = properties.history().seed();
        if (seed == null || seed.isBlank()) {
            return;
        }
        Resource resource = resources.getResource(seed);
        transaction.executeWithoutResult(status -> {
            // claimed first: an instance starting beside this one waits on the claim, then finds it made
            if (jdbc.update("INSERT INTO audit_milestones (name, reached_at) VALUES (?, CURRENT_TIMESTAMP) ON CONFLICT (name) DO NOTHING",
                    MILESTONE) == 0) {
                return;
            }
            try (var reader = new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8)) {
                int figures = importer.store(importer.parse(reader));
                log.info("Imported {} historical totals from {}", figures, seed);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("Cannot read " + AuditProperties.PREFIX + ".history.seed " + seed, e);
            }
        });
    }
}
