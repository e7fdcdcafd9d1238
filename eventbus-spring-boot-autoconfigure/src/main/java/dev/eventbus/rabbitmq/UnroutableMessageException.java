package dev.eventbus.rabbitmq;

import org.springframework.amqp.AmqpException;

/**
 * The broker returned a mandatory message because no queue is bound to its exchange for its
 * routing key: no consumer group has declared its queues for that topic and partition.
 */
public class UnroutableMessageException extends AmqpException {

    /**
     * Creates the exception.
     * @param exchange the exchange
     * @param routingKey the routing key
     * @param reply the broker's reply code and text
     */
    public UnroutableMessageException(String exchange, String routingKey, String reply) {
        super("No queue is bound to exchange '" + exchange + "' for routing key '" + routingKey + "' (" + reply
                + "): start a consumer group of the topic, which declares its queues, then retry the parked events");
    }

}
