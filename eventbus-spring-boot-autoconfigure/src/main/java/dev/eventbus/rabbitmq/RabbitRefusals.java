package dev.eventbus.rabbitmq;

import java.util.Collection;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;

/**
 * Tells the failures that trying again cannot cure: the broker closed the channel with
 * {@code ACCESS_REFUSED} (the user may not configure the exchange, or not publish to it) or
 * {@code PRECONDITION_FAILED} (on a declaration: an exchange of that name exists with another type
 * or other arguments; on a publish: the message is larger than the broker's
 * {@code max_message_size}). These last until an operator changes the broker. Everything else, a
 * lost connection among them, may pass.
 */
final class RabbitRefusals {

    private static final Set<Integer> FOR_GOOD = Set.of(AMQP.ACCESS_REFUSED, AMQP.PRECONDITION_FAILED);

    private static final int EXCHANGE_CLASS = 40;

    private static final int BASIC_CLASS = 60;

    private static final int PUBLISH_METHOD = 40;

    private static final int MAX_CAUSES = 16;

    private static final Pattern MAX_SIZE = Pattern.compile("larger than (?:configured )?max size (\\d+)");

    private RabbitRefusals() {
    }

    /**
     * Whether a declaration failed for good.
     * @param failure the failure of the declaration
     * @return {@code true} if the broker closed the channel with one of the codes above, answering
     * an exchange method
     */
    static boolean isForGood(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++) {
            if (cause instanceof ShutdownSignalException signal && !signal.isHardError()
                    && signal.getReason() instanceof AMQP.Channel.Close close && close.getClassId() == EXCHANGE_CLASS
                    && FOR_GOOD.contains(close.getReplyCode())) {
                return true;
            }
            cause = cause.getCause();
        }
        return false;
    }

    /**
     * The exchange the broker refused a message for, when it closed a channel because the user may
     * not publish to that exchange. The broker names the exchange only in its reply text
     * ({@code ... exchange '<name>' in vhost ...}); should that wording change, no exchange is
     * found and the attempt counts as a failure that may pass, as before this was told apart.
     * @param closeReason why the channel was closed
     * @param exchanges the exchanges the attempt published to or meant to
     * @return the one of the exchanges that the broker's reply names, or {@code null} if the
     * channel was closed for another reason
     */
    static @Nullable String publishRefusedExchange(ShutdownSignalException closeReason, Collection<String> exchanges) {
        if (closeReason.isHardError() || !(closeReason.getReason() instanceof AMQP.Channel.Close close)
                || close.getClassId() != BASIC_CLASS || close.getMethodId() != PUBLISH_METHOD
                || close.getReplyCode() != AMQP.ACCESS_REFUSED) {
            return null;
        }
        return exchanges.stream()
            .filter((exchange) -> close.getReplyText().contains("exchange '" + exchange + "'"))
            .findFirst()
            .orElse(null);
    }

    /**
     * The broker's largest message body size (headers not counted), when it closed a channel
     * because a message published on it was larger ({@code PRECONDITION_FAILED}, {@code message size <n> is larger than configured
     * max size <max>}).
     * @param closeReason why the channel was closed
     * @return the largest size in bytes the broker takes, or {@code null} if the channel was closed
     * for another reason
     */
    static @Nullable Long maxMessageSize(ShutdownSignalException closeReason) {
        if (closeReason.isHardError() || !(closeReason.getReason() instanceof AMQP.Channel.Close close)
                || close.getClassId() != BASIC_CLASS || close.getMethodId() != PUBLISH_METHOD
                || close.getReplyCode() != AMQP.PRECONDITION_FAILED) {
            return null;
        }
        Matcher matcher = MAX_SIZE.matcher(close.getReplyText());
        return matcher.find() ? Long.valueOf(matcher.group(1)) : null;
    }

}
