package org.manifoldlab.rundir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {

    @TempDir
    Path dir;

    @Test
    void csvNumbersIncludeNanAndInfinities() {
        assertTrue(Double.isNaN(CsvTable.parseNumber("NaN")));
        assertTrue(Double.isNaN(CsvTable.parseNumber("")));
        assertEquals(Double.POSITIVE_INFINITY, CsvTable.parseNumber("inf"));
        assertEquals(Double.NEGATIVE_INFINITY, CsvTable.parseNumber("-inf"));
        assertEquals(Double.POSITIVE_INFINITY, CsvTable.parseNumber("Infinity"));
        assertEquals(1e-3, CsvTable.parseNumber(" 1e-3 "));
    }

    @Test
    void aMissingColumnAndABinaryFileAreNamedWithTheirPlace() throws Exception {
        Path csv = Files.writeString(dir.resolve("train.csv"), "epoch,layer\n1,1\n");
        FormatException missing = assertThrows(FormatException.class, () -> CsvTable.read(csv, List.of("epoch", "accuracy")));
        assertEquals(csv + ": no column 'accuracy' (header: epoch,layer)", missing.getMessage());
        Path binary = Files.write(dir.resolve("bin.csv"), new byte[] {'a', '\n', 'b', (byte) 0xFF});
        FormatException bad = assertThrows(FormatException.class, () -> CsvTable.read(binary, List.of()));
        assertEquals(binary + ": line 2, column 2: not UTF-8 text (byte 0xFF); is it a CSV file?", bad.getMessage());
    }
}
