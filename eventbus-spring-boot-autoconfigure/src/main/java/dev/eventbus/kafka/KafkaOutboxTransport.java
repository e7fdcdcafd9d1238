package dev.eventbus.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * together. A record Kafka refuses for good ({@link KafkaRefusals}) is reported refused, so the
 * relay parks it and the others go on; at the first record refused for a reason that may pass,
 * no further record is handed over, so none is sent ahead of it. The idempotent producer keeps
 * the records of a partition in order.
 */
public class KafkaOutboxTransport implements OutboxTransport, AutoCloseable {

    private final KafkaTemplate<String, byte[]> kafkaTemplate;

    private final CloudEventRecordMapper recordMapper;

    private final KafkaRefusals refusals;

    /**
     * Creates the transport.
     * @param kafkaTemplate a template of the relay's idempotent producer
     * @param recordMapper maps events to CloudEvents records
     * @param refusals tells refusals for good from failures that may pass
     */
    public KafkaOutboxTransport(KafkaTemplate<String, byte[]> kafkaTemplate, CloudEventRecordMapper recordMapper,
            KafkaRefusals refusals) {
        this.kafkaTemplate = kafkaTemplate;
        this.recordMapper = recordMapper;
        this.refusals = refusals;
    }

    @Override
    public SendOutcome send(List<PendingOutboxEvent> events) {
        List<PendingOutboxEvent> sent = new ArrayList<>(events.size());
        List<CompletableFuture<?>> sends = new ArrayList<>(events.size());
        Map<Long, Throwable> refused = new LinkedHashMap<>();
        Throwable failure = null;
        for (PendingOutboxEvent event : events) {
            try {
                sends.add(this.kafkaTemplate.send(this.recordMapper.toRecord(event.event())));
                sent.add(event);
            }
            catch (RuntimeException ex) {
                if (this.refusals.isForGood(ex, event.event().topic())) {
                    refused.put(event.id(), ex);
                }
                else {
                    failure = ex;
                    break;
                }
            }
        }
        List<Long> acknowledged = new ArrayList<>(sends.size());
        for (int i = 0; i < sends.size(); i++) {
            PendingOutboxEvent event = sent.get(i);
            Throwable sendFailure = awaitFailure(sends.get(i));
            if (sendFailure == null) {
                acknowledged.add(event.id());
            }
            else if (this.refusals.isForGood(sendFailure, event.event().topic())) {
                refused.put(event.id(), sendFailure);
            }
            else if (failure == null) {
                failure = sendFailure;
            }
        }
        return new SendOutcome(acknowledged, refused, failure);
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
