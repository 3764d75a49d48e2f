package org.manifoldlab.cli.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.cli.ExitCodes;
import org.manifoldlab.core.spectrum.ProbeRows;
import org.manifoldlab.rundir.RunDirectory;
import picocli.CommandLine;

/**
 * {@code lab analyze} on fixtures written by numpy (src/test/resources/analyze/make_fixture.py),
 * checked against numpy's own rank, alpha, R^2 and participation ratio (expected.json).
 */
class AnalyzeCommandTest {

    private static final Path FIXTURES = Path.of("src/test/resources/analyze");

    @TempDir
    Path tmp;

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        AnalyzeCommand command = new AnalyzeCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = new CommandLine(command).execute(args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void npyFloat32COrderMatchesNumpysAnswer() throws Exception {
        JsonNode expected = RunDirectory.JSON.readTree(FIXTURES.resolve("expected.json").toFile());
        Outcome o = run(FIXTURES.resolve("power-f4-c.npy").toString(), "--json");
        assertEquals(ExitCodes.OK, o.code(), o.err());
        JsonNode r = RunDirectory.JSON.readTree(o.out());
        assertEquals(expected.get("rank").asInt(), r.get("rank").asInt());
        assertEquals(8, r.get("deadUnits").asInt());
        assertEquals(List.of(10, 16), List.of(r.get("window").get(0).asInt(), r.get("window").get(1).asInt()));
        assertEquals(expected.get("alpha").asDouble(), r.get("alpha").get("estimate").asDouble(), 1e-6);
        assertEquals(expected.get("r2").asDouble(), r.get("r2").asDouble(), 1e-6);
        assertEquals(expected.get("participationRatio").asDouble(), r.get("participationRatio").get("estimate").asDouble(), 1e-6);
        double lo = r.get("alpha").get("lo").asDouble();
        double hi = r.get("alpha").get("hi").asDouble();
        assertTrue(lo < r.get("alpha").get("estimate").asDouble() && r.get("alpha").get("estimate").asDouble() < hi, o.out());
        assertTrue(r.get("dTwoNn").get("estimate").asDouble() > 1, o.out());
        assertEquals("none", r.get("dimSource").asText(), "no d given: no margin");
    }

    @Test
    void fortranOrderFloat64AndCsvGiveTheSameAnalysis() throws Exception {
        JsonNode c = RunDirectory.JSON.readTree(run(FIXTURES.resolve("power-f4-c.npy").toString(), "--json").out());
        for (String other : List.of("power-f8-f.npy", "power.csv")) {
            Outcome o = run(FIXTURES.resolve(other).toString(), "--json");
            assertEquals(ExitCodes.OK, o.code(), o.err());
            JsonNode r = RunDirectory.JSON.readTree(o.out());
            for (String key : List.of("alpha", "participationRatio", "dTwoNn")) {
                assertEquals(c.get(key).get("estimate").asDouble(), r.get(key).get("estimate").asDouble(), 1e-9, other + " " + key);
            }
        }
        ProbeRows f = NpyReader.read(FIXTURES.resolve("power-f8-f.npy"));
        ProbeRows rowMajor = NpyReader.read(FIXTURES.resolve("power-f4-c.npy"));
        assertEquals(rowMajor.data()[3 * 40 + 5], f.data()[3 * 40 + 5], 0.0, "element [3, 5] read in its place from Fortran order");
    }

    @Test
    void tableShowsAlphaWithItsIntervalAndTheMarginWhenDIsGiven() {
        Outcome o = run(FIXTURES.resolve("power-f4-c.npy").toString(), "--manifold-dim", "4");
        assertEquals(ExitCodes.OK, o.code(), o.err());
        assertTrue(o.out().contains("alpha [95%]") && o.out().contains("dead units") && o.out().contains("(d 4.0000, spec)"), o.out());
    }

    @Test
    void badFilesGetOneLineAndExitCode2() throws Exception {
        Path ragged = Files.writeString(tmp.resolve("ragged.csv"), "1,2,3\n4,5\n6,7,8\n");
        Path notNumber = Files.writeString(tmp.resolve("word.csv"), "1,2\n3,x\n");
        List<List<String>> cases = List.of(
                List.of(FIXTURES.resolve("nan.npy").toString(), "NaN at row 2, column 1"),
                List.of(FIXTURES.resolve("vector.npy").toString(), "shape [7] is not 2-D"),
                List.of(FIXTURES.resolve("int.npy").toString(), "dtype '<i4' is not float32 or float64"),
                List.of(ragged.toString(), "data row 2 has 2 values, the first has 3"),
                List.of(notNumber.toString(), "'x' at data row 2, column 2 is not a number"),
                List.of(tmp.resolve("missing.npy").toString(), "no such file"));
        for (List<String> c : cases) {
            Outcome o = run(c.get(0));
            assertEquals(ExitCodes.BAD_INPUT, o.code(), c.get(0));
            assertEquals(1, o.err().strip().lines().count(), o.err());
            assertTrue(o.err().startsWith("lab: " + c.get(0) + ": ") && o.err().contains(c.get(1)), o.err());
        }
    }
}
