package org.manifoldlab.rundir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Each format of the run directory pinned by a committed sample written by a real run (golden/):
 * read through its typed rows and written back, it is the same file byte for byte. A change to a
 * format must change the sample too, on purpose.
 */
class GoldenFilesTest {

    private static Path golden(String name) throws URISyntaxException {
        return Path.of(GoldenFilesTest.class.getResource("/golden/" + name).toURI());
    }

    private static String rewritten(Path file, List<String> columns, BiFunction<CsvTable, Integer, Csv.Row> read) throws IOException {
        CsvTable t = CsvTable.read(file, columns);
        assertEquals(columns, t.columns(), file.getFileName() + " has the columns declared for it, in order");
        StringBuilder out = new StringBuilder(String.join(",", columns)).append('\n');
        for (int r = 0; r < t.size(); r++) {
            Csv.Row row = read.apply(t, r);
            assertEquals(columns, row.columns());
            out.append(Csv.line(row.values())).append('\n');
        }
        assertTrue(t.size() > 0, file + " holds rows");
        return out.toString();
    }

    private static void assertRoundTrip(String name, List<String> columns, BiFunction<CsvTable, Integer, Csv.Row> read) throws Exception {
        Path file = golden(name);
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), rewritten(file, columns, read), name);
    }

    @Test
    void everyCsvReadsAndWritesBackByteForByte() throws Exception {
        assertRoundTrip("train.csv", RunDirectory.TRAIN_COLUMNS, Csv.TrainRow::read);
        assertRoundTrip("spectrum.csv", RunDirectory.SPECTRUM_COLUMNS, Csv.SpectrumRow::read);
        assertRoundTrip("spectrum-summary.csv", RunDirectory.SUMMARY_COLUMNS, Csv.SummaryRow::read);
        assertRoundTrip("robustness.csv", RunDirectory.ROBUSTNESS_COLUMNS, Csv.RobustnessRow::read);
        assertRoundTrip("probes.csv", RunDirectory.PROBE_COLUMNS, Csv.ProbeRow::read);
    }

    @Test
    void theManifestReadsAndWritesBackByteForByte() throws Exception {
        Path file = golden("manifest.json");
        Manifest m = RunDirectory.JSON.readValue(file.toFile(), Manifest.class);
        assertEquals(Manifest.FORMAT, m.format());
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), RunDirectory.JSON.writeValueAsString(m));
    }

    @Test
    void aRowKnowsItsValuesInTheDeclaredOrder() {
        Csv.RobustnessRow row = new Csv.RobustnessRow(2, 3, "fgsm", 0.1, 0.5, 0.25, 0.1, 2.5, 2000, "label", "ok");
        assertEquals("2,3,fgsm,0.1,0.5,0.25,0.1,2.5,2000,label,ok", Csv.line(row.values()));
        assertEquals("NaN,inf,-inf,1.0E-8", Csv.line(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-8)));
    }
}
