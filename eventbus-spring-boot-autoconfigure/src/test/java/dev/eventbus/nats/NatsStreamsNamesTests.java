package dev.eventbus.nats;

import java.util.List;

import dev.eventbus.transport.ConsumerEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class NatsStreamsNamesTests {

    @Test
    void refusesTwoGroupsOfTheApplicationThatWouldShareTheirConsumersNamingBoth() {
        assertThatIllegalStateException()
            .isThrownBy(() -> NatsStreams.refuseSharedConsumers(
                    List.of(new ConsumerEndpoint("billing_v2", "orders", 1),
                            new ConsumerEndpoint("billing.v2", "orders", 1))))
            .withMessageContaining("group 'billing_v2' of topic 'orders'")
            .withMessageContaining("group 'billing.v2' of topic 'orders'");
        assertThatNoException().isThrownBy(() -> NatsStreams.refuseSharedConsumers(
                List.of(new ConsumerEndpoint("billing_v2", "orders", 1),
                        new ConsumerEndpoint("billing.v2", "payments", 1))));
    }

    @Test
    void warnsOfTheOtherGroupThatWouldShareTheConsumersOfAGroupWithADot() {
        assertThat(NatsStreams.sharedConsumersWarning("orders", "billing.v2")).contains("group 'billing_v2'");
        assertThat(NatsStreams.sharedConsumersWarning("orders", "billing-v2")).isNull();
    }

}
