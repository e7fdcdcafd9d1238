package dev.eventbus.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.ClassUtils;

/**
 * Chooses the observation registry eventbus observes each publish and each handled event with:
 * the application's when Micrometer Tracing is set up, so that a handler runs in the trace of the
 * code that published its event; otherwise none, so that an event costs no observation on top of
 * eventbus's own meters.
 */
final class EventbusObservations {

    private static final boolean TRACING_PRESENT = ClassUtils.isPresent("io.micrometer.tracing.Tracer",
            EventbusObservations.class.getClassLoader());

    private EventbusObservations() {
    }

    static ObservationRegistry registry(ObjectProvider<ObservationRegistry> observationRegistry,
            BeanFactory beanFactory) {
        if (TRACING_PRESENT && Tracing.isActive(beanFactory)) {
            return observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP);
        }
        return ObservationRegistry.NOOP;
    }

    /**
     * Refers to Micrometer Tracing only once it is known to be on the class path.
     */
    private static final class Tracing {

        static boolean isActive(BeanFactory beanFactory) {
            Tracer tracer = beanFactory.getBeanProvider(Tracer.class).getIfUnique();
            return tracer != null && tracer != Tracer.NOOP;
        }

    }

}
