package dev.eventbus.transport;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * The declarations of the topics of one relay round, for a transport that declares a topic (an
 * exchange, a stream) before sending to it: a topic the broker refuses for good is asked for once
 * in the round, and each of its events is refused with the same reason.
 *
 * @since 0.2.0
 */
public final class TopicDeclarations {

    private final Consumer<String> declaration;

    private final Predicate<RuntimeException> refusedForGood;

    private final Map<String, RuntimeException> refusals = new HashMap<>();

    /**
     * Creates the declarations of a round.
     * @param declaration declares a topic, throwing when it cannot
     * @param refusedForGood tells a failure of the declaration that declaring again cannot cure
     */
    public TopicDeclarations(Consumer<String> declaration, Predicate<RuntimeException> refusedForGood) {
        this.declaration = declaration;
        this.refusedForGood = refusedForGood;
    }

    /**
     * Declares a topic, unless this round found it refused for good already.
     * @param topic the topic
     * @return why the broker refuses the topic for good, or {@code null} once it is declared
     * @throws RuntimeException the declaration's failure, if declaring again may cure it
     */
    public @Nullable RuntimeException declare(String topic) {
        RuntimeException refusal = this.refusals.get(topic);
        if (refusal != null) {
            return refusal;
        }
        try {
            this.declaration.accept(topic);
            return null;
        }
        catch (RuntimeException ex) {
            if (!this.refusedForGood.test(ex)) {
                throw ex;
            }
            this.refusals.put(topic, ex);
            return ex;
        }
    }

}
