package dev.eventbus.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.eventbus.outbox.OutboxEvent;
import dev.eventbus.outbox.PendingOutboxEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Sends a round of outbox events to Kafka pipelined: every record is handed to the producer first,
 * then the acknowledgements are awaited together. Stops handing over records at the first one the
 * producer refuses, so a later event of the same key is never sent ahead of an earlier one.
 */
public class KafkaOutboxSender implements AutoCloseable {

    private final KafkaTemplate<String, byte[]> kafkaTemplate;

    private final CloudEventRecordMapper recordMapper;

    private final List<RelayObserver> observers;

    /**
     * Creates a sender.
     * @param kafkaTemplate a template of the relay's idempotent producer
     * @param recordMapper maps events to CloudEvents records
     * @param observers told about each acknowledgement and failure
     */
    public KafkaOutboxSender(KafkaTemplate<String, byte[]> kafkaTemplate, CloudEventRecordMapper recordMapper,
            List<RelayObserver> observers) {
        this.kafkaTemplate = kafkaTemplate;
        this.recordMapper = recordMapper;
        this.observers = List.copyOf(observers);
    }

    /**
     * Sends events and waits until the broker has acknowledged or refused each of them.
     * @param events the events, in order
     * @return the acknowledged row ids and the first failure
     */
    public SendOutcome send(List<PendingOutboxEvent> events) {
        List<CompletableFuture<SendResult<String, byte[]>>> sends = new ArrayList<>(events.size());
        Throwable failure = null;
        for (PendingOutboxEvent event : events) {
            OutboxEvent outboxEvent = event.event();
            try {
                sends.add(this.kafkaTemplate.send(this.recordMapper.toRecord(outboxEvent))
                    .whenComplete((result, sendFailure) -> observe(outboxEvent, sendFailure)));
            }
            catch (RuntimeException ex) {
                observe(outboxEvent, ex);
                failure = ex;
                break;
            }
        }
        List<Long> acknowledged = new ArrayList<>(sends.size());
        for (int i = 0; i < sends.size(); i++) {
            Throwable sendFailure = awaitFailure(sends.get(i));
            if (sendFailure == null) {
                acknowledged.add(events.get(i).id());
            }
            else if (failure == null) {
                failure = sendFailure;
            }
        }
        return new SendOutcome(acknowledged, failure);
    }

    private void observe(OutboxEvent event, @Nullable Throwable failure) {
        if (failure == null) {
            Duration sinceOccurred = Duration.between(event.occurredAt(), Instant.now());
            this.observers.forEach((observer) -> observer.published(event.topic(), sinceOccurred));
        }
        else {
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
            this.observers.forEach((observer) -> observer.failed(event.topic(), cause));
        }
    }

    /**
     * Closes the producer.
     */
    @Override
    public void close() {
        IdempotentProducers.close(this.kafkaTemplate);
    }

    private static @Nullable Throwable awaitFailure(CompletableFuture<?> send) {
        try {
            send.join();
            return null;
        }
        catch (CompletionException ex) {
            return (ex.getCause() != null) ? ex.getCause() : ex;
        }
        catch (RuntimeException ex) {
            return ex;
        }
    }

}
