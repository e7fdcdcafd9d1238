package dev.eventbus.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.eventbus.outbox.PendingOutboxEvent;
import dev.eventbus.transport.OutboxTransport;
import dev.eventbus.transport.SendOutcome;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * The relay side of the Kafka transport: sends a round's events pipelined through an idempotent
 * producer, handing every record to the producer first and then awaiting the acknowledgements
 * together. Stops handing over records at the first one the producer refuses at once, so no later
 * event is sent ahead of it; the idempotent producer keeps the records of a partition in order.
 */
public class KafkaOutboxTransport implements OutboxTransport, AutoCloseable {

    private final KafkaTemplate<String, byte[]> kafkaTemplate;

    private final CloudEventRecordMapper recordMapper;

    /**
     * Creates the transport.
     * @param kafkaTemplate a template of the relay's idempotent producer
     * @param recordMapper maps events to CloudEvents records
     */
    public KafkaOutboxTransport(KafkaTemplate<String, byte[]> kafkaTemplate, CloudEventRecordMapper recordMapper) {
        this.kafkaTemplate = kafkaTemplate;
        this.recordMapper = recordMapper;
    }

    @Override
    public SendOutcome send(List<PendingOutboxEvent> events) {
        List<CompletableFuture<?>> sends = new ArrayList<>(events.size());
        Throwable failure = null;
        for (PendingOutboxEvent event : events) {
            try {
                sends.add(this.kafkaTemplate.send(this.recordMapper.toRecord(event.event())));
            }
            catch (RuntimeException ex) {
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
