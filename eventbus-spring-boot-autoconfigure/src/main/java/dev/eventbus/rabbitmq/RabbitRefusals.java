package dev.eventbus.rabbitmq;

import java.util.Set;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * Tells the failures of a declaration that declaring again cannot cure: the broker closed the
 * channel with {@code ACCESS_REFUSED} (the user may not configure the exchange) or
 * {@code PRECONDITION_FAILED} (an exchange of that name exists with another type or other
 * arguments). Both last until an operator changes the broker. Everything else, a lost connection
 * among them, may pass.
 */
final class RabbitRefusals {

    private static final Set<Integer> FOR_GOOD = Set.of(AMQP.ACCESS_REFUSED, AMQP.PRECONDITION_FAILED);

    private static final int EXCHANGE_CLASS = 40;

    private static final int MAX_CAUSES = 16;

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

}
