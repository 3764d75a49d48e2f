package org.manifoldlab.cli.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.manifoldlab.cli.ExitCodes;
import org.manifoldlab.config.DataSpec;
import org.manifoldlab.core.data.DataSources;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lab data info SOURCE}: what a data source holds, every file read and checked. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Print what a data source holds: samples per split, image size, classes and per-class counts, pixel range, and the size and SHA-256 of its files, checked against the directory's PROVENANCE when it has one. Every file is read to its end and checked.",
                "Exit codes: 0 done; 1 a file's SHA-256 differs from its PROVENANCE; 2 the source is unknown, missing or not valid IDX data (the message names the file)."})
final class DataInfoCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SOURCE", description = "mnist-10k, fashion-mnist or idx:/path/to/dir")
    String source;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IdxInventory.Inventory inv;
        Map<String, String> recorded;
        String where;
        try {
            String problem = DataSources.problem(source);
            if (problem != null) {
                throw new IOException(problem);
            }
            if (DataSources.MNIST_10K.equals(source)) {
                DataSources.embeddedMnist10k(); // verifies the embedded files against their PROVENANCE
                Map<String, byte[]> files = new LinkedHashMap<>();
                files.put("images-idx3-ubyte.gz", resource("images-idx3-ubyte.gz"));
                files.put("labels-idx1-ubyte.gz", resource("labels-idx1-ubyte.gz"));
                inv = IdxInventory.inventory(DataSources.EMBEDDED, IdxInventory.SINGLE, files);
                recorded = Provenance.checksums(new String(resource(Provenance.FILE), StandardCharsets.UTF_8));
                where = "embedded in the jar: " + DataSources.EMBEDDED;
            } else {
                Path dir = directory(source);
                IdxInventory.Located located = IdxInventory.locate(dir);
                inv = IdxInventory.inventory(dir + "/", located.layout(), IdxInventory.readAll(located));
                recorded = Provenance.checksums(dir);
                where = "directory " + dir;
            }
        } catch (IOException e) {
            err.println("lab: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        int mismatches = InfoReport.print(out, source, where, inv, recorded, DataSpec.DEFAULTS.testFraction());
        out.flush();
        if (mismatches > 0) {
            err.println("lab: " + mismatches + (mismatches == 1 ? " file differs" : " files differ")
                    + " from the checksums in " + Provenance.FILE);
            return DataCommand.FAILED;
        }
        return ExitCodes.OK;
    }

    /** The directory of fashion-mnist (as DataSources resolves it) or of idx:/dir. */
    private static Path directory(String source) {
        if (DataSources.FASHION_MNIST.equals(source)) {
            String override = System.getenv("MANIFOLD_LAB_FASHION_MNIST");
            return override != null ? Path.of(override) : DataSources.FASHION_MNIST_DIR;
        }
        return Path.of(source.substring("idx:".length()));
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = DataSources.class.getResourceAsStream(DataSources.EMBEDDED + file)) {
            if (in == null) {
                throw new IOException("embedded data " + DataSources.EMBEDDED + file + " is missing from the classpath");
            }
            return in.readAllBytes();
        }
    }
}
