package dev.eventbus.demo;

import java.util.List;

import dev.eventbus.samples.inventory.InventoryServiceApplication;
import dev.eventbus.samples.order.OrderServiceApplication;
import dev.eventbus.testsupport.TestDatabase;
import dev.eventbus.testsupport.TestDatabases;
import dev.eventbus.testsupport.TestKafka;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real PostgreSQL (one database per service), a real KRaft broker and both sample services, in
 * this JVM.
 */
public final class DemoEnvironment implements AutoCloseable {

    private final TestDatabase orderDatabase;

    private final TestDatabase inventoryDatabase;

    private final String bootstrapServers;

    private final List<String> extraArguments;

    private ConfigurableApplicationContext orderService;

    private ConfigurableApplicationContext inventoryService;

    private DemoEnvironment(List<String> extraArguments) {
        this.orderDatabase = TestDatabases.embeddedPostgres();
        this.inventoryDatabase = TestDatabases.embeddedPostgres();
        this.bootstrapServers = TestKafka.bootstrapServers();
        for (String topic : List.of("orders", "inventory")) {
            TestKafka.createTopicIfMissing(this.bootstrapServers, topic, 3);
        }
        this.extraArguments = extraArguments;
    }

    /**
     * Starts the infrastructure and both services.
     * @param orderPort the order service's HTTP port, 0 for any free port
     * @param inventoryPort the inventory service's HTTP port, 0 for any free port
     * @param extraArguments further arguments for both services
     * @return the running environment
     */
    public static DemoEnvironment start(int orderPort, int inventoryPort, List<String> extraArguments) {
        DemoEnvironment environment = new DemoEnvironment(extraArguments);
        environment.orderService = environment.run(OrderServiceApplication.application(), orderPort,
                environment.orderDatabase);
        environment.inventoryService = environment.startInventoryService(inventoryPort);
        return environment;
    }

    /**
     * Starts the inventory service, for example again after it was stopped.
     * @param port the HTTP port, 0 for any free port
     * @return the running service
     */
    public ConfigurableApplicationContext startInventoryService(int port) {
        this.inventoryService = run(InventoryServiceApplication.application(), port, this.inventoryDatabase);
        return this.inventoryService;
    }

    /**
     * The arguments that point a service at this environment's database and broker.
     * @param database the service's database
     * @param port the HTTP port
     * @return command-line arguments
     */
    public List<String> arguments(TestDatabase database, int port) {
        List<String> arguments = database.commandLineArguments();
        arguments.add("--spring.kafka.bootstrap-servers=" + this.bootstrapServers);
        arguments.add("--server.port=" + port);
        arguments.addAll(this.extraArguments);
        return arguments;
    }

    public TestDatabase inventoryDatabase() {
        return this.inventoryDatabase;
    }

    public String orderServiceUrl() {
        return url(this.orderService);
    }

    public String inventoryServiceUrl() {
        return url(this.inventoryService);
    }

    public String bootstrapServers() {
        return this.bootstrapServers;
    }

    public ConfigurableApplicationContext orderService() {
        return this.orderService;
    }

    public ConfigurableApplicationContext inventoryService() {
        return this.inventoryService;
    }

    @Override
    public void close() {
        closeServices();
        this.orderDatabase.close();
        this.inventoryDatabase.close();
    }

    /**
     * Stops both services, the inventory service first, leaving their databases and the broker
     * running.
     */
    public void closeServices() {
        for (ConfigurableApplicationContext service : List.of(this.inventoryService, this.orderService)) {
            if (service != null && service.isActive()) {
                service.close();
            }
        }
    }

    private ConfigurableApplicationContext run(SpringApplicationBuilder application, int port, TestDatabase database) {
        return application.run(arguments(database, port).toArray(String[]::new));
    }

    private static String url(ConfigurableApplicationContext service) {
        int port = ((WebServerApplicationContext) service).getWebServer().getPort();
        return "http://localhost:" + port;
    }

}
