package dev.eventbus.relay;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Threads of a lifecycle component that each run a loop until the component stops: they are
 * handed a stop signal, which {@link #stop} counts down before it waits for them to end.
 */
final class LoopThreads {

    private final String name;

    private final int count;

    private final boolean daemon;

    private final Duration stopTimeout;

    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    private @Nullable CountDownLatch stopSignal;

    /**
     * Creates the threads, not started yet.
     * @param name the thread name, followed by {@code -1}, {@code -2}, … when there are several
     * @param count how many threads
     * @param daemon whether they let the JVM exit while running
     * @param stopTimeout how long {@link #stop} waits for them together
     */
    LoopThreads(String name, int count, boolean daemon, Duration stopTimeout) {
        this.name = name;
        this.count = count;
        this.daemon = daemon;
        this.stopTimeout = stopTimeout;
    }

    /**
     * Starts the threads, unless they run already. Threads of an earlier start that outlived the
     * timeout of their stop are left to end on their own; they do not keep new ones from starting.
     */
    synchronized void start(Consumer<CountDownLatch> loop) {
        if (this.stopSignal != null && this.stopSignal.getCount() > 0) {
            return;
        }
        this.threads.removeIf((thread) -> !thread.isAlive());
        CountDownLatch signal = new CountDownLatch(1);
        this.stopSignal = signal;
        for (int i = 1; i <= this.count; i++) {
            Thread thread = new Thread(() -> loop.accept(signal), (this.count == 1) ? this.name : this.name + "-" + i);
            thread.setDaemon(this.daemon);
            this.threads.add(thread);
            thread.start();
        }
    }

    /**
     * Signals the threads to stop and waits for them.
     */
    void stop() {
        stop(() -> {
        });
    }

    /**
     * Signals the threads to stop, wakes them and waits for them.
     * @param wakeUp wakes threads that sleep on something other than the stop signal
     */
    synchronized void stop(Runnable wakeUp) {
        CountDownLatch signal = this.stopSignal;
        if (signal == null) {
            return;
        }
        signal.countDown();
        wakeUp.run();
        long deadline = System.nanoTime() + this.stopTimeout.toNanos();
        for (Thread thread : this.threads) {
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        this.threads.removeIf((thread) -> !thread.isAlive());
    }

    boolean isRunning() {
        return this.threads.stream().anyMatch(Thread::isAlive);
    }

}
