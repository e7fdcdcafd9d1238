package dev.eventbus.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The most heap this JVM has used since {@link #watch()}: sampled every 10 ms, and the most left
 * in use right after a garbage collection, young ones included, an upper bound of what the
 * application keeps alive.
 */
final class HeapPeak {

    private final AtomicLong used = new AtomicLong();

    private final AtomicLong afterCollection = new AtomicLong();

    private HeapPeak() {
    }

    static HeapPeak watch() {
        HeapPeak peak = new HeapPeak();
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans()
            .stream()
            .filter((pool) -> pool.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
                        .from((CompositeData) notification.getUserData());
                    long inUse = info.getGcInfo()
                        .getMemoryUsageAfterGc()
                        .entrySet()
                        .stream()
                        .filter((pool) -> heapPools.contains(pool.getKey()))
                        .mapToLong((pool) -> pool.getValue().getUsed())
                        .sum();
                    peak.afterCollection.accumulateAndGet(inUse, Math::max);
                }
            }, null, null);
        }
        Thread sampler = new Thread(() -> {
            while (true) {
                peak.used.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                Infrastructure.sleep(10);
            }
        }, "heap-peak");
        sampler.setDaemon(true);
        sampler.start();
        return peak;
    }

    long used() {
        return this.used.get();
    }

    long afterCollection() {
        return this.afterCollection.get();
    }

}
