package dev.eventbus.kafka;

import java.util.ArrayList;
import java.util.List;

import dev.eventbus.transport.BatchOutcome;
import dev.eventbus.transport.InboundBatchHandler;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;
import org.springframework.kafka.listener.BatchListenerFailedException;

/**
 * Hands each poll batch of a listener container to the core. When the core asks for the rest of
 * the batch to be delivered again, or fails itself, throws {@link BatchListenerFailedException} naming the first of
 * them, so that the container's error handler commits the offsets before it and seeks back to it.
 * An {@link Error} is thrown as such an exception too, so that it never stops the container.
 */
class KafkaBatchListener implements BatchConsumerAwareMessageListener<byte[], byte[]> {

    private final InboundBatchHandler handler;

    KafkaBatchListener(InboundBatchHandler handler) {
        this.handler = handler;
    }

    @Override
    public void onMessage(List<ConsumerRecord<byte[], byte[]>> records, Consumer<?, ?> consumer) {
        List<KafkaInboundMessage> messages = new ArrayList<>(records.size());
        records.forEach((record) -> messages.add(new KafkaInboundMessage(record, consumer)));
        BatchOutcome outcome;
        try {
            outcome = this.handler.handle(messages);
        }
        catch (RuntimeException ex) {
            throw new BatchListenerFailedException("Delivering the batch again: " + ex.getMessage(), ex, 0);
        }
        catch (Error error) {
            throw new BatchListenerFailedException("Delivering the batch again after " + error,
                    new IllegalStateException("Handling failed with " + error, error), 0);
        }
        if (outcome.completed() < records.size()) {
            Exception cause = (outcome.redeliveryCause() != null) ? outcome.redeliveryCause()
                    : new IllegalStateException("The batch was not completed");
            throw new BatchListenerFailedException("Delivering again from offset "
                    + records.get(outcome.completed()).offset() + ": " + cause.getMessage(), cause,
                    outcome.completed());
        }
    }

}
