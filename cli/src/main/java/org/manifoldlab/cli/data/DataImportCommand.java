package org.manifoldlab.cli.data;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.manifoldlab.cli.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab data import DIR --name NAME [--to DATA_DIR]}: a checked, complete copy with a PROVENANCE. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Check an IDX directory and copy it to DATA_DIR/NAME with a PROVENANCE file (source path, date, SHA-256 of each file). Use it afterwards as the data source idx:DATA_DIR/NAME.",
                "DIR must hold one layout, each file raw or gzipped: train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (its own split), or images-idx3-ubyte and labels-idx1-ubyte (split by data.testFraction when loaded). Every file is read to its end and checked (header, length, gzip CRC); each split's image and label counts must agree, and all splits' image sizes. A directory holding both x and x.gz, or both layouts, is refused.",
                "The data files are copied byte for byte (gzipped files stay gzipped), exactly the bytes that were checked; other files in DIR are not copied (they are listed). The copy is made in a hidden temporary directory inside DATA_DIR and renamed to NAME once complete, so DATA_DIR/NAME is either complete or absent. An existing DATA_DIR/NAME is never overwritten.",
                "Exit codes: 0 imported; 1 the copy failed (nothing is left behind); 2 bad input: DIR is not valid IDX data (the message names the file), NAME is not a plain name, or DATA_DIR/NAME exists (nothing is created)."})
final class DataImportCommand implements Callable<Integer> {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @Parameters(paramLabel = "DIR", description = "the directory of IDX files to import")
    Path source;

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "name of the new data directory: letters, digits, '.', '_', '-'")
    String name;

    @Option(names = "--to", paramLabel = "DATA_DIR", defaultValue = DataCommand.DEFAULT_DATA_DIR,
            description = "where data directories go (default: ${DEFAULT-VALUE}; not data/, which is embedded in the jar)")
    Path dataDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!NAME.matcher(name).matches()) {
            err.println("lab: --name '" + name + "': expected 1 to 64 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit (it becomes a directory name)");
            return ExitCodes.BAD_INPUT;
        }
        Path target = dataDir.resolve(name);
        if (Files.exists(target)) {
            err.println("lab: " + target + " already exists; choose another --name or remove it first");
            return ExitCodes.BAD_INPUT;
        }
        IdxInventory.Located located;
        Map<String, byte[]> files;
        IdxInventory.Inventory inv;
        try {
            located = IdxInventory.locate(source);
            files = IdxInventory.readAll(located);
            inv = IdxInventory.inventory(source + "/", located.layout(), files);
        } catch (IOException e) {
            err.println("lab: " + e.getMessage() + "; nothing was imported");
            return ExitCodes.BAD_INPUT;
        }
        String provenance = Provenance.text(source.toAbsolutePath().normalize().toString(), "Imported",
                "lab data import", Provenance.content(inv), List.of(), inv.files());
        try {
            Provenance.install(dataDir, name, files, provenance);
        } catch (IOException e) {
            err.println("lab: copying " + source + " to " + target + " failed (" + e.getMessage()
                    + "); nothing was created");
            return DataCommand.FAILED;
        }
        long bytes = inv.files().stream().mapToLong(IdxInventory.FileEntry::bytes).sum();
        out.printf("imported %d files (%d bytes; %s) from %s to %s%n", files.size(), bytes,
                Provenance.content(inv), source, target);
        if (!located.others().isEmpty()) {
            out.println("not copied (not IDX data of this layout): " + String.join(", ", located.others()));
        }
        out.println("use it as data source idx:" + target);
        return ExitCodes.OK;
    }
}
