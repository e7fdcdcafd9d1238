package dev.eventbus.wire;

import dev.eventbus.EventKey;
import dev.eventbus.EventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventTypeRegistryTests {

    private final EventTypeRegistry registry = new EventTypeRegistry();

    @Test
    void describesNameVersionAndRecordKey() {
        EventTypeDescriptor descriptor = this.registry.describe(Shipped.class);

        assertThat(descriptor.name()).isEqualTo("order.shipped");
        assertThat(descriptor.version()).isEqualTo(1);
        assertThat(descriptor.keyOf(new Shipped(42L, "DHL"))).isEqualTo("42");
    }

    @Test
    void readsKeyFromAnnotatedFieldOrMethodOfAClass() {
        assertThat(this.registry.describe(KeyedByField.class).keyOf(new KeyedByField("a"))).isEqualTo("a");
        assertThat(this.registry.describe(KeyedByMethod.class).keyOf(new KeyedByMethod())).isEqualTo("computed");
    }

    @Test
    void eventWithoutKeyMemberOrWithNullKeyHasNoKey() {
        assertThat(this.registry.describe(Unkeyed.class).keyOf(new Unkeyed())).isNull();
        assertThat(this.registry.describe(Shipped.class).keyOf(new Shipped(null, "DHL"))).isNull();
    }

    @Test
    void refusesClassWithoutEventTypeNamingTheAnnotation() {
        assertThatIllegalArgumentException().isThrownBy(() -> this.registry.describe(String.class))
            .withMessage("java.lang.String is not an event: annotate it with @dev.eventbus.EventType");
        assertThat(this.registry.isEventType(String.class)).isFalse();
    }

    @Test
    void refusesTwoKeyMembers() {
        assertThatIllegalArgumentException().isThrownBy(() -> this.registry.describe(TwoKeys.class))
            .withMessageContaining("more than one @EventKey");
    }

    @Test
    void refusesVersionBelowOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> this.registry.describe(VersionZero.class))
            .withMessageContaining("versions start at 1");
    }

    @EventType("order.shipped")
    record Shipped(@EventKey Long orderId, String carrier) {
    }

    @EventType("keyed.by-field")
    static class KeyedByField {

        @EventKey
        private final String id;

        KeyedByField(String id) {
            this.id = id;
        }

    }

    @EventType("keyed.by-method")
    static class KeyedByMethod {

        @EventKey
        String key() {
            return "computed";
        }

    }

    @EventType("unkeyed")
    static class Unkeyed {

    }

    @EventType("two.keys")
    record TwoKeys(@EventKey String a, String b) {

        @EventKey
        public String other() {
            return this.b;
        }

    }

    @EventType(value = "version.zero", version = 0)
    record VersionZero(String a) {
    }

}
