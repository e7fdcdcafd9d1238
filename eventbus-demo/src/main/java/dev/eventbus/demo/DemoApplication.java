package dev.eventbus.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testsupport.TestKafka;
import sun.misc.Signal;

/**
 * Starts PostgreSQL and a KRaft Kafka broker from Maven artifacts, the order and inventory
 * services on ports 8081 and 8082, and runs the saga scenario. Then it stays up with the services'
 * URLs printed, or exits with {@code --demo.exit=true}; {@code --demo.any-ports=true} takes free
 * ports instead. Other arguments go to both services, so
 * {@code --eventbus.transport=rabbitmq} runs the saga on the machine's RabbitMQ.
 */
public final class DemoApplication {

    private DemoApplication() {
    }

    public static void main(String[] args) throws InterruptedException {
        boolean exit = Arrays.asList(args).contains("--demo.exit=true");
        boolean anyPorts = Arrays.asList(args).contains("--demo.any-ports=true");
        long start = System.nanoTime();
        System.out.println("Starting PostgreSQL and Kafka (KRaft) from Maven artifacts, then both services...");
        List<String> serviceArguments = new ArrayList<>(List.of("--spring.main.banner-mode=off",
                "--logging.level.root=warn"));
        Arrays.stream(args).filter((argument) -> !argument.startsWith("--demo.")).forEach(serviceArguments::add);
        DemoEnvironment environment = anyPorts ? DemoEnvironment.start(0, 0, serviceArguments)
                : DemoEnvironment.start(8081, 8082, serviceArguments);
        stopInOrderOnSignal(environment);
        System.out.printf("Up in %.1f s: order service %s, inventory service %s, Kafka %s%n%n",
                (System.nanoTime() - start) / 1e9, environment.orderServiceUrl(), environment.inventoryServiceUrl(),
                environment.bootstrapServers());

        SagaScenario.Outcome outcome = new SagaScenario(environment.orderServiceUrl(),
                environment.inventoryServiceUrl(), System.out).run();

        System.out.println();
        System.out.println("Final orders:");
        for (SagaScenario.OrderView order : List.of(outcome.confirmed(), outcome.rejected(), outcome.cancelled())) {
            System.out.printf("  %-8s %-6s x%d %-9s %s%n", order.customer(), order.sku(), order.quantity(),
                    order.status(), (order.reason() != null) ? order.reason() : "");
        }
        System.out.println("Final stock:");
        outcome.stock().forEach((stock) -> System.out.printf("  %-6s available %2d, reserved %d%n", stock.sku(),
                stock.available(), stock.reserved()));
        System.out.println("Metrics:");
        DemoMetrics.print(environment, System.out);
        System.out.printf("%nScenario finished %.1f s after start.%n", (System.nanoTime() - start) / 1e9);

        if (exit) {
            environment.close();
            System.exit(0);
        }
        System.out.println("Services keep running: " + environment.orderServiceUrl() + "/orders, "
                + environment.inventoryServiceUrl() + "/stock/BOOK-1, " + environment.orderServiceUrl()
                + "/actuator/prometheus. Press Ctrl+C to stop.");
        new CountDownLatch(1).await();
    }

    /**
     * Stops the services, then the broker, then PostgreSQL on Ctrl+C or {@code kill}, before the
     * JVM's shutdown hooks run: those of the embedded PostgreSQL and Kafka would stop them, and
     * delete Kafka's directories, at the same time as the services still use them.
     */
    private static void stopInOrderOnSignal(DemoEnvironment environment) {
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : List.of("INT", "TERM")) {
            Signal.handle(new Signal(name), (signal) -> {
                if (stopping.getAndSet(true)) {
                    return;
                }
                long start = System.nanoTime();
                environment.closeServices();
                TestKafka.stop();
                TestDatabases.stopEmbeddedPostgres();
                System.out.printf("Stopped in %.1f s%n", (System.nanoTime() - start) / 1e9);
                System.exit(0);
            });
        }
    }

}
