package dev.eventbus.samples.inventory;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The inventory service: reserves stock for orders.
 */
@SpringBootApplication
public class InventoryServiceApplication {

    /**
     * The application, reading its configuration from {@code inventory-service.yml} so that it can
     * share a classpath with the order service in the demo.
     * @return a builder to run
     */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(InventoryServiceApplication.class)
            .properties("spring.config.name=inventory-service");
    }

    public static void main(String[] args) {
        application().run(args);
    }

}
