package dev.eventbus.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.eventbus.outbox.PendingOutboxEvent;
import dev.eventbus.transport.OutboxTransport;
import dev.eventbus.transport.PendingSend;
import dev.eventbus.transport.SendOutcome;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * The relay side of the Kafka transport: hands a batch's records to an idempotent producer and
 * completes its outcome when all are answered, so that the relay hands the next batch over
 * meanwhile. A record Kafka refuses for good ({@link KafkaRefusals}) is reported refused, so the
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
        return sendAsync(events).await();
    }

    @Override
    public PendingSend sendAsync(List<PendingOutboxEvent> events) {
        List<PendingOutboxEvent> sent = new ArrayList<>(events.size());
        List<CompletableFuture<?>> sends = new ArrayList<>(events.size());
        Map<Long, Throwable> refused = new LinkedHashMap<>();
        Throwable handOverFailure = null;
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
                    handOverFailure = ex;
                    break;
                }
            }
        }
        CompletableFuture<Void> answered = CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
            .exceptionally((ex) -> null);
        if (handOverFailure != null) {
            answered.join();
        }
        Throwable firstFailure = handOverFailure;
        return new PendingSend() {

            @Override
            public boolean isAnswered() {
                return answered.isDone();
            }

            @Override
            public SendOutcome await() {
                answered.join();
                return outcome(sent, sends, refused, firstFailure);
            }

        };
    }

    private SendOutcome outcome(List<PendingOutboxEvent> sent, List<CompletableFuture<?>> sends,
            Map<Long, Throwable> refused, @Nullable Throwable handOverFailure) {
        Throwable failure = handOverFailure;
        List<Long> acknowledged = new ArrayList<>(sends.size());
        for (int i = 0; i < sends.size(); i++) {
            PendingOutboxEvent event = sent.get(i);
            Throwable sendFailure = failureOf(sends.get(i));
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

    private static @Nullable Throwable failureOf(CompletableFuture<?> send) {
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
