package dev.eventbus.reliability;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A class that notes every instantiation: records that name it must never create one.
 */
public class Gadget {

    static final AtomicInteger INSTANCES = new AtomicInteger();

    public Gadget() {
        INSTANCES.incrementAndGet();
    }

    public void setCommand(String command) {
        INSTANCES.incrementAndGet();
    }

}
