package dev.eventbus.rabbitmq;

import java.util.List;

import dev.eventbus.transport.ConsumerEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class RabbitTopologyTests {

    @Test
    void refusesTwoGroupsOfTheApplicationThatWouldShareTheirQueuesNamingBoth() {
        assertThatIllegalStateException()
            .isThrownBy(() -> RabbitTopology.refuseSharedQueues(
                    List.of(new ConsumerEndpoint("c", "orders.b", 1), new ConsumerEndpoint("b.c", "orders", 1))))
            .withMessageContaining("group 'c' of topic 'orders.b'")
            .withMessageContaining("group 'b.c' of topic 'orders'")
            .withMessageContaining("orders.b.c.0");
        assertThatNoException().isThrownBy(() -> RabbitTopology.refuseSharedQueues(
                List.of(new ConsumerEndpoint("c", "orders", 1), new ConsumerEndpoint("c", "orders", 2),
                        new ConsumerEndpoint("d", "orders", 1))));
    }

    @Test
    void warnsOfTheOtherPairThatWouldShareTheQueuesOfAGroupWithADot() {
        assertThat(RabbitTopology.sharedQueuesWarning("orders", "billing.api"))
            .contains("group 'api' of topic 'orders.billing'");
        assertThat(RabbitTopology.sharedQueuesWarning("orders", "billing-api")).isNull();
    }

}
