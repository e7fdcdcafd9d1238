package dev.eventbus.samples.order;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The order service: places orders and follows the inventory's answers.
 */
@SpringBootApplication
public class OrderServiceApplication {

    /**
     * The application, reading its configuration from {@code order-service.yml} so that it can
     * share a classpath with the inventory service in the demo.
     * @return a builder to run
     */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(OrderServiceApplication.class)
            .properties("spring.config.name=order-service");
    }

    public static void main(String[] args) {
        application().run(args);
    }

}
