package org.manifoldlab.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.cli.BadInputTest;
import org.manifoldlab.report.RunFixture;

/** A report of a sweep skips a member it cannot read, with a line naming the file (and for a binary CSV, the line and column). */
class UnreadableMemberTest {

    @TempDir
    Path runs;

    @Test
    void reportSkipsAnUnreadableMemberAndNamesTheLineAndColumnOfABinaryCsv() throws Exception {
        Path sweep = Files.createDirectories(runs.resolve("sweep"));
        RunFixture.write(sweep.resolve("m1"), 1);
        RunFixture.write(sweep.resolve("m2"), 2);
        Path binary = RunFixture.write(sweep.resolve("m3"), 3).resolve("metrics").resolve("train.csv");
        Files.write(binary, new byte[] {'e', 'p', 'o', 'c', 'h', '\n', '1', ',', (byte) 0xC3, (byte) 0x28, '\n'});
        BadInputTest.Result r = BadInputTest.lab("report", sweep.toString(), "--out", runs.resolve("report").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("lab: skipped m3: " + binary + ": line 2, column 3: not UTF-8 text (byte 0xC3); is it a CSV file?"),
                r.errLines().stream().filter(l -> l.startsWith("lab: skipped")).toList());
        assertTrue(Files.exists(runs.resolve("report").resolve("index.html")));
    }
}
