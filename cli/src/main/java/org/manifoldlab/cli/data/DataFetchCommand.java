package org.manifoldlab.cli.data;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.manifoldlab.cli.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab data fetch mnist|fashion-mnist [--from URL] [--to DIR]}: download, verify, resume. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Download the four IDX .gz files of a data set, verify each against its known digest, and resume interrupted downloads. Use the result as the data source idx:DIR.",
                "Each file is downloaded to NAME.part; an interrupted or stalled transfer is resumed from where it stopped with an HTTP Range request, by the next attempt of this run (--attempts) or by a later run. A complete part file is verified and then renamed to NAME; a digest mismatch deletes it. So a file under its final name has always been verified. Files already present are verified, not downloaded again. DIR also gets a PROVENANCE file.",
                "Digests: SHA-256 for fashion-mnist; MD5, as published, for mnist.",
                "Exit codes: 0 every file present and verified; 1 a download failed (what was received is kept for the next run) or a digest did not match; 2 bad input."})
final class DataFetchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DATASET", description = "mnist or fashion-mnist")
    String dataset;

    @Option(names = "--from", paramLabel = "URL", description = "base URL of the files (default: mnist "
            + "https://ossci-datasets.s3.amazonaws.com/mnist/, fashion-mnist "
            + "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/)")
    String from;

    @Option(names = "--to", paramLabel = "DIR", description = "where the files go (default: "
            + DataCommand.DEFAULT_DATA_DIR + "/DATASET)")
    Path to;

    @Option(names = "--attempts", paramLabel = "N", defaultValue = "3",
            description = "transfers per file before giving up, each resuming the last (default: ${DEFAULT-VALUE})")
    int attempts;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, KnownDataSets.DataSet> table;
    private final Duration stallTimeout;
    private final Duration retryPause;

    public DataFetchCommand() {
        this(KnownDataSets.table(), Duration.ofSeconds(60), Duration.ofSeconds(2));
    }

    /** With another digest table and timings: how tests fetch their own files from a loopback server. */
    DataFetchCommand(Map<String, KnownDataSets.DataSet> table, Duration stallTimeout, Duration retryPause) {
        this.table = table;
        this.stallTimeout = stallTimeout;
        this.retryPause = retryPause;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KnownDataSets.DataSet set = table.get(dataset);
        if (set == null) {
            err.println("lab: unknown data set '" + dataset + "'; expected " + String.join(" or ", table.keySet()));
            return ExitCodes.BAD_INPUT;
        }
        URI base;
        try {
            base = baseUrl(from != null ? from : set.defaultBase().toString());
        } catch (IllegalArgumentException e) {
            err.println("lab: --from: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        if (attempts < 1) {
            err.println("lab: --attempts: expected a positive integer, got " + attempts);
            return ExitCodes.BAD_INPUT;
        }
        Path dir = to != null ? to : Path.of(DataCommand.DEFAULT_DATA_DIR, set.name());
        out.printf("fetching %s from %s into %s%n", set.name(), base, dir);
        out.flush();
        Fetcher fetcher = new Fetcher(Fetcher.defaultClient(Duration.ofSeconds(30)),
                new ProgressBar(err, System.console() != null), attempts, stallTimeout, retryPause);
        List<IdxInventory.FileEntry> entries = new ArrayList<>();
        boolean downloaded = false;
        for (ExpectedFile file : set.files()) {
            try {
                Fetcher.Result r = fetcher.fetch(base.resolve(file.name()), file, dir);
                out.printf("  %-28s %10d bytes  %s verified%s%n", file.name(), r.bytes(), file.algorithmLabel(),
                        r.alreadyPresent() ? " (already present)" : "");
                out.flush();
                entries.add(new IdxInventory.FileEntry(file.name(), r.bytes(), r.sha256()));
                downloaded |= !r.alreadyPresent();
            } catch (IOException e) {
                err.println("lab: " + e.getMessage());
                return DataCommand.FAILED;
            }
        }
        try {
            IdxInventory.Located located = IdxInventory.locate(dir);
            IdxInventory.Inventory inv = IdxInventory.inventory(dir + "/", located.layout(), IdxInventory.readAll(located));
            if (downloaded || !Files.exists(dir.resolve(Provenance.FILE))) {
                Provenance.write(dir, Provenance.text(base.toString(), "Fetched", "lab data fetch " + set.name(),
                        Provenance.content(inv), List.of(String.format("%-12s%s", "Verified:", "each file's "
                                + set.files().stream().map(ExpectedFile::algorithmLabel).distinct()
                                        .collect(Collectors.joining(" or "))
                                + " against the known digest (cli/.../data/KnownDataSets.java), before it was renamed")),
                        entries));
            }
            out.printf("%s: %s%nuse it as data source idx:%s%n", set.name(), Provenance.content(inv), dir);
        } catch (IOException e) {
            err.println("lab: the files of " + set.name() + " in " + dir + " match their digests but do not read"
                    + " as IDX data: " + e.getMessage());
            return DataCommand.FAILED;
        }
        return ExitCodes.OK;
    }

    /** An http(s) URL ending in '/', so file names resolve below it. */
    static URI baseUrl(String text) {
        URI uri;
        try {
            uri = new URI(text.endsWith("/") ? text : text + "/");
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL (" + e.getReason() + ")");
        }
        if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + text + "': expected an http:// or https:// URL");
        }
        return uri;
    }
}
