package dev.eventbus.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of the result table, printed as Markdown.
 */
final class Results {

    private final List<String> rows = new ArrayList<>();

    void add(String scenario, String measurement, String value, String comparison) {
        this.rows.add("| " + scenario + " | " + measurement + " | " + value + " | " + comparison + " |");
        System.out.println("  " + scenario + ": " + measurement + " = " + value + "  " + comparison);
    }

    String table() {
        StringBuilder table = new StringBuilder("| scenario | measurement | value | comparison |\n| --- | --- | --- | --- |\n");
        this.rows.forEach((row) -> table.append(row).append('\n'));
        return table.toString();
    }

}
