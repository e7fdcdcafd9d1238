package dev.eventbus.wire;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PartitionsTests {

    @Test
    void keyedEventGoesToThePartitionKafkasDefaultPartitionerChooses() {
        Partitions partitions = new Partitions(16);
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            String key = (i % 2 == 0) ? UUID.randomUUID().toString() : randomText(random, i % 13);
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            assertThat(partitions.of(key)).as(key).isEqualTo(Utils.toPositive(Utils.murmur2(bytes)) % 16);
        }
    }

    @Test
    void eventsWithoutKeyAreSpreadEvenly() {
        Partitions partitions = new Partitions(4);
        int[] counts = new int[4];
        for (int i = 0; i < 400; i++) {
            counts[partitions.of(null)]++;
        }
        assertThat(counts).containsOnly(100);
    }

    @Test
    void refusesATopicWithoutPartitions() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Partitions(0)).withMessageContaining("at least one");
    }

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(random.nextBoolean() ? 'a' + random.nextInt(26) : 0x4e00 + random.nextInt(500));
        }
        return text.toString();
    }

}
