package dev.eventbus.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partition test vectors of {@code docs/wire-format.md}, which services in other languages
 * check their ports against, read from the document itself and checked against eventbus's
 * partitioner and Kafka's.
 */
class WireFormatVectorsTests {

    private static final Path DOCUMENT = Path.of("..", "docs", "wire-format.md");

    private static final String HEADER = "| key (JSON string) | 3 | 16 | 64 |";

    private static final int[] COUNTS = { 3, 16, 64 };

    @Test
    void everyVectorOfTheDocumentIsThePartitionEventbusAndKafkaChoose() throws IOException {
        List<Vector> vectors = vectors();

        assertThat(vectors).hasSizeGreaterThanOrEqualTo(12)
            .extracting(Vector::key)
            .contains("", "Müller", "東京", "🚀", "ключ");
        for (Vector vector : vectors) {
            byte[] bytes = vector.key().getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < COUNTS.length; i++) {
                assertThat(new Partitions(COUNTS[i]).of(vector.key())).as("%s in %d", vector.key(), COUNTS[i])
                    .isEqualTo(vector.partitions()[i])
                    .isEqualTo(Utils.toPositive(Utils.murmur2(bytes)) % COUNTS[i]);
            }
        }
    }

    private static List<Vector> vectors() throws IOException {
        List<String> lines = Files.readAllLines(DOCUMENT, StandardCharsets.UTF_8);
        int header = lines.indexOf(HEADER);
        assertThat(header).as("the vectors table of %s", DOCUMENT).isNotNegative();
        JsonMapper json = JsonMapper.builder().build();
        List<Vector> vectors = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|");
            String key = json.readValue(cells[1].trim().replace("`", ""), String.class);
            int[] partitions = new int[COUNTS.length];
            for (int column = 0; column < COUNTS.length; column++) {
                partitions[column] = Integer.parseInt(cells[column + 2].trim());
            }
            vectors.add(new Vector(key, partitions));
        }
        return vectors;
    }

    private record Vector(String key, int[] partitions) {
    }

}
