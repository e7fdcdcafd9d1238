package dev.eventbus.demo;

import java.io.PrintStream;

/**
 * Prints the eventbus consumer counters from both services' Prometheus endpoints.
 */
final class DemoMetrics {

    private DemoMetrics() {
    }

    static void print(DemoEnvironment environment, PrintStream out) {
        ServiceClient client = new ServiceClient();
        for (String service : new String[] { environment.orderServiceUrl(), environment.inventoryServiceUrl() }) {
            client.get(service + "/actuator/prometheus")
                .body()
                .lines()
                .filter((line) -> line.startsWith("eventbus_consumer_events_total"))
                .forEach((line) -> out.println("  " + line));
        }
    }

}
