package dev.eventbus.consumer;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventbus.schema.Database;
import dev.eventbus.schema.EventbusSchemaMigrator;
import dev.eventbus.schema.EventbusTables;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On MariaDB the processed ids of a batch are recorded with one statement, and the duplicates,
 * within the batch and from earlier batches, are told from the new ids.
 */
class MariaDbProcessedEventsIntegrationTests {

    @Test
    void recordsABatchInOneStatementAndTellsDuplicatesFromNewIds() {
        try (TestDatabase database = TestDatabases.localMariaDb();
                HikariDataSource dataSource = database.createDataSource()) {
            new EventbusSchemaMigrator(dataSource, Database.MYSQL, EventbusTables.DEFAULT).migrate();
            ProcessedEventRepository repository = new ProcessedEventRepository(new JdbcTemplate(dataSource),
                    Database.MYSQL, EventbusTables.DEFAULT);
            UUID a = UUID.randomUUID();
            UUID b = UUID.randomUUID();
            UUID c = UUID.randomUUID();

            assertThat(repository.markProcessed("group", List.of(a, b, a), Instant.now())).containsOnly(a, b);
            assertThat(repository.markProcessed("group", List.of(b, c), Instant.now())).containsOnly(c);
            assertThat(repository.markProcessed("other", List.of(a), Instant.now())).containsOnly(a);
        }
    }

}
