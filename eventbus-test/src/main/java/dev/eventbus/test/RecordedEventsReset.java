package dev.eventbus.test;

import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Clears the {@link RecordedEvents} of a test's application context before each test method, so
 * that every test sees only its own events. Registered for every Spring test by
 * {@code META-INF/spring.factories}.
 *
 * @since 0.2.0
 */
public class RecordedEventsReset implements TestExecutionListener, Ordered {

    @Override
    public void beforeTestMethod(TestContext testContext) {
        if (testContext.hasApplicationContext()) {
            testContext.getApplicationContext().getBeanProvider(RecordedEvents.class).ifAvailable(RecordedEvents::clear);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

}
