package dev.eventbus.reliability;

import java.lang.management.ManagementFactory;

import dev.eventbus.EventHandler;
import dev.eventbus.EventMetadata;
import dev.eventbus.EventPublisher;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An application instance of the reliability suite: it relays the outbox, handles ticks by writing
 * one {@code effect} row per handling, so duplicate effects would show as duplicate rows, and with
 * {@code reliability.publish-per-second} publishes ticks itself.
 * Tests run it in-process or as child JVMs they kill.
 */
@SpringBootApplication
public class ReliabilityWorker {

    public static void main(String[] args) {
        SpringApplication.run(ReliabilityWorker.class, args);
    }

    @Bean
    @ConditionalOnProperty("reliability.publish-per-second")
    TickPublisher tickPublisher(TransactionTemplate transaction, JdbcTemplate jdbc, EventPublisher events,
            Environment environment) {
        return new TickPublisher(transaction, jdbc, events,
                environment.getRequiredProperty("reliability.publish-per-second", Integer.class));
    }

    @Bean
    TickHandler tickHandler(JdbcTemplate jdbc) {
        return new TickHandler(jdbc);
    }

    static class TickHandler {

        private final JdbcTemplate jdbc;

        private final String worker = ManagementFactory.getRuntimeMXBean().getName();

        TickHandler(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @EventHandler
        void on(Tick tick, EventMetadata metadata) {
            this.jdbc.update("INSERT INTO effect (event_id, tick_key, sequence, worker) VALUES (?, ?, ?, ?)",
                    metadata.id(), tick.key(), tick.sequence(), this.worker);
        }

    }

}
