package dev.eventbus.autoconfigure;

import dev.eventbus.transport.OutboxTransport;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;

/**
 * Fails start-up, naming the property, when the transport cannot be chosen or when this
 * instance runs the relay but no transport is there to relay to, so that an outbox never grows
 * silently.
 */
class EventbusTransportCheck implements SmartInitializingSingleton {

    private final Environment environment;

    private final @Nullable ClassLoader classLoader;

    private final ObjectProvider<OutboxTransport> transports;

    private final boolean relayEnabled;

    EventbusTransportCheck(Environment environment, @Nullable ClassLoader classLoader,
            ObjectProvider<OutboxTransport> transports, boolean relayEnabled) {
        this.environment = environment;
        this.classLoader = classLoader;
        this.transports = transports;
        this.relayEnabled = relayEnabled;
    }

    @Override
    public void afterSingletonsInstantiated() {
        String selected = EventbusTransports.select(this.environment, this.classLoader);
        if (this.relayEnabled && this.transports.stream().findAny().isEmpty()) {
            throw new IllegalStateException("eventbus.outbox.relay.enabled is true but no transport can carry the"
                    + " events" + ((selected != null) ? " (" + EventbusTransports.PROPERTY + " is " + selected
                            + " and its auto-configuration is missing)" : "")
                    + ": add the starter of a broker, set " + EventbusTransports.PROPERTY
                    + ", or set eventbus.outbox.relay.enabled=false");
        }
    }

}
