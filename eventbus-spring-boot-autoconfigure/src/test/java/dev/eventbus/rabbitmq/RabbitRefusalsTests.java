package dev.eventbus.rabbitmq;

import java.io.IOException;
import java.util.List;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.AMQImpl;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpIOException;

import static org.assertj.core.api.Assertions.assertThat;

class RabbitRefusalsTests {

    @Test
    void channelClosedAsAccessRefusedOrPreconditionFailedIsForGood() {
        assertThat(RabbitRefusals.isForGood(declarationFailure(channelClosed(AMQP.ACCESS_REFUSED)))).isTrue();
        assertThat(RabbitRefusals.isForGood(declarationFailure(channelClosed(AMQP.PRECONDITION_FAILED)))).isTrue();
    }

    @Test
    void otherChannelClosesAndLostConnectionsMayPass() {
        assertThat(RabbitRefusals.isForGood(declarationFailure(channelClosed(AMQP.NOT_FOUND)))).isFalse();
        assertThat(RabbitRefusals.isForGood(declarationFailure(channelClosed(AMQP.INTERNAL_ERROR)))).isFalse();
        ShutdownSignalException queueRefused = new ShutdownSignalException(false, false,
                new AMQImpl.Channel.Close(AMQP.PRECONDITION_FAILED, "closed", 50, 10), null);
        assertThat(RabbitRefusals.isForGood(declarationFailure(queueRefused))).isFalse();
        ShutdownSignalException connectionClosed = new ShutdownSignalException(true, false,
                new AMQImpl.Connection.Close(AMQP.CONNECTION_FORCED, "broker shutdown", 0, 0), null);
        assertThat(RabbitRefusals.isForGood(new AmqpConnectException(connectionClosed))).isFalse();
        assertThat(RabbitRefusals.isForGood(new AmqpIOException(new IOException("Connection reset")))).isFalse();
    }

    @Test
    void publishRefusedAsAccessRefusedNamesTheExchangeOfTheReply() {
        ShutdownSignalException refused = publishClosed(AMQP.ACCESS_REFUSED,
                "ACCESS_REFUSED - access to exchange 'orders' in vhost '/' refused for user 'shop'");

        assertThat(RabbitRefusals.publishRefusedExchange(refused, List.of("orders-audit", "orders"))).isEqualTo("orders");
        assertThat(RabbitRefusals.publishRefusedExchange(refused, List.of("orders-audit", "payments"))).isNull();
    }

    @Test
    void otherClosesRefuseNoExchangeToPublishTo() {
        ShutdownSignalException notFound = publishClosed(AMQP.NOT_FOUND, "NOT_FOUND - no exchange 'orders' in vhost '/'");
        ShutdownSignalException declarationRefused = new ShutdownSignalException(false, false,
                new AMQImpl.Channel.Close(AMQP.ACCESS_REFUSED, "access to exchange 'orders'", 40, 10), null);
        ShutdownSignalException connectionClosed = new ShutdownSignalException(true, false,
                new AMQImpl.Connection.Close(AMQP.ACCESS_REFUSED, "access to exchange 'orders'", 60, 40), null);

        assertThat(RabbitRefusals.publishRefusedExchange(notFound, List.of("orders"))).isNull();
        assertThat(RabbitRefusals.publishRefusedExchange(declarationRefused, List.of("orders"))).isNull();
        assertThat(RabbitRefusals.publishRefusedExchange(connectionClosed, List.of("orders"))).isNull();
    }

    @Test
    void publishRefusedAsTooLargeTellsTheBrokersMaxSize() {
        ShutdownSignalException tooLarge = publishClosed(AMQP.PRECONDITION_FAILED,
                "PRECONDITION_FAILED - message size 100412 is larger than configured max size 65536");
        ShutdownSignalException declarationRefused = new ShutdownSignalException(false, false,
                new AMQImpl.Channel.Close(AMQP.PRECONDITION_FAILED, "inequivalent arg 'type'", 40, 10), null);

        assertThat(RabbitRefusals.maxMessageSize(tooLarge)).isEqualTo(65536L);
        assertThat(RabbitRefusals.maxMessageSize(publishClosed(AMQP.PRECONDITION_FAILED,
                "PRECONDITION_FAILED - message size 600000000 is larger than max size 536870912")))
            .isEqualTo(536870912L);
        assertThat(RabbitRefusals.maxMessageSize(declarationRefused)).isNull();
        assertThat(RabbitRefusals.maxMessageSize(publishClosed(AMQP.ACCESS_REFUSED, "access to exchange 'orders'")))
            .isNull();
    }

    private static ShutdownSignalException publishClosed(int replyCode, String replyText) {
        return new ShutdownSignalException(false, false, new AMQImpl.Channel.Close(replyCode, replyText, 60, 40), null);
    }

    private static ShutdownSignalException channelClosed(int replyCode) {
        return new ShutdownSignalException(false, false, new AMQImpl.Channel.Close(replyCode, "closed", 40, 10), null);
    }

    private static AmqpIOException declarationFailure(ShutdownSignalException signal) {
        return new AmqpIOException(new IOException(signal));
    }

}
