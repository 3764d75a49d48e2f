package org.manifoldlab.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.cli.BadInputTest;

/**
 * {@code lab tables}: exit 1 from --check while the page's tables differ from its summaries, 0 once
 * redrawn, 2 with one line naming the file for a page or summary it cannot use; nothing is written
 * by --check or on bad input.
 */
class TablesCommandTest {

    /** One seed, one layer, one attack strength: the least a summary of lab report holds. */
    private static final String SUMMARY = """
            {"members": [{"seed": 1, "epoch": 3, "layers": [{"layer": 1, "alpha": 1.5, "cleanAccuracy": 0.9, "participationRatio": 4,
              "smoothnessMargin": 0.3, "accuracy": {"gaussian": {"0": 0.9, "0.5": 0.4}}}]}],
             "findings": []}
            """;

    @TempDir
    Path root;

    @Test
    void checkFailsUntilTheTablesAreRedrawnAndBadInputIsOneLine() throws Exception {
        Files.createDirectories(root.resolve("findings"));
        Files.writeString(root.resolve("findings/summary.json"), SUMMARY);
        Path page = root.resolve("FINDINGS.md");
        String stale = "# Findings\n\n<!-- tables from: Toy=findings/summary.json -->\nold\n<!-- tables end -->\n";
        Files.writeString(page, stale);
        String[] check = {"tables", "--check", "--root", root.toString(), page.toString()};

        BadInputTest.Result r = BadInputTest.lab(check);
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("differ from their summary.json files"), r.out());
        assertEquals(stale, Files.readString(page), "--check writes nothing");

        r = BadInputTest.lab("tables", "--root", root.toString(), page.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(Files.readString(page).contains("| gaussian 0.5 | 0.400 (1 seed) |"), Files.readString(page));
        assertEquals(0, BadInputTest.lab(check).code());

        Files.writeString(root.resolve("findings/summary.json"), "{\"members\": []}");
        String before = Files.readString(page);
        r = BadInputTest.lab(check);
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("findings/summary.json: expected a summary.json of lab report"), r.err());
        assertEquals(before, Files.readString(page));

        r = BadInputTest.lab("tables", "--root", root.toString(), root.resolve("absent.md").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("absent.md: no such file"), r.err());
    }
}
