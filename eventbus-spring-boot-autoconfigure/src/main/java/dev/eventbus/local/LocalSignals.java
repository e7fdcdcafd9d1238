package dev.eventbus.local;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Wakes this application's readers of a topic when messages were appended to it, so that they do
 * not wait for their next poll.
 */
public class LocalSignals {

    private final ConcurrentHashMap<String, Set<Semaphore>> readers = new ConcurrentHashMap<>();

    /**
     * Registers a reader of a topic.
     * @param topic the topic
     * @param wakeUp released when messages were appended
     */
    void subscribe(String topic, Semaphore wakeUp) {
        this.readers.computeIfAbsent(topic, (key) -> ConcurrentHashMap.newKeySet()).add(wakeUp);
    }

    /**
     * Removes a reader.
     * @param topic the topic
     * @param wakeUp the reader's semaphore
     */
    void unsubscribe(String topic, Semaphore wakeUp) {
        Set<Semaphore> topicReaders = this.readers.get(topic);
        if (topicReaders != null) {
            topicReaders.remove(wakeUp);
        }
    }

    /**
     * Wakes the readers of topics.
     * @param topics the topics messages were appended to
     */
    void appended(Collection<String> topics) {
        for (String topic : topics) {
            Set<Semaphore> topicReaders = this.readers.get(topic);
            if (topicReaders != null) {
                topicReaders.forEach((wakeUp) -> {
                    if (wakeUp.availablePermits() == 0) {
                        wakeUp.release();
                    }
                });
            }
        }
    }

}
