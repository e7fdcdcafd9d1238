package dev.eventbus.kit;

import java.util.ArrayList;
import java.util.List;

import dev.eventbus.consumertest.ConsumerTestApplication;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testapp.TestApplication;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the kit's applications on a transport: publishers (with or without relay) and consumers.
 */
public final class KitApplications {

    private KitApplications() {
    }

    public static ConfigurableApplicationContext publisher(TestDatabase database, KitTransport transport, String topic,
            boolean relay, String... extraArguments) {
        List<String> arguments = common(database, transport, topic, "order-service");
        arguments.add("--eventbus.outbox.relay.enabled=" + relay);
        arguments.addAll(List.of(extraArguments));
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
            .run(arguments.toArray(String[]::new));
    }

    public static ConfigurableApplicationContext consumer(TestDatabase database, KitTransport transport, String topic,
            String group, int concurrency, String... extraArguments) {
        List<String> arguments = common(database, transport, topic, "consumer-test");
        arguments.add("--eventbus.consumer.group=" + group);
        arguments.add("--eventbus.consumer.concurrency=" + concurrency);
        arguments.add("--eventbus.consumer.retry.initial-backoff=10ms");
        arguments.add("--eventbus.outbox.relay.enabled=false");
        arguments.addAll(List.of(extraArguments));
        return new SpringApplicationBuilder(ConsumerTestApplication.class).web(WebApplicationType.NONE)
            .run(arguments.toArray(String[]::new));
    }

    private static List<String> common(TestDatabase database, KitTransport transport, String topic,
            String applicationName) {
        List<String> arguments = new ArrayList<>(database.commandLineArguments());
        arguments.add("--spring.application.name=" + applicationName);
        arguments.add("--spring.main.web-application-type=none");
        arguments.add("--eventbus.transport=" + transport.name());
        arguments.add("--management.tracing.sampling.probability=1.0");
        arguments.add("--eventbus.topics[test.order-placed]=" + topic);
        transport.applicationProperties().forEach((name, value) -> arguments.add("--" + name + "=" + value));
        return arguments;
    }

}
