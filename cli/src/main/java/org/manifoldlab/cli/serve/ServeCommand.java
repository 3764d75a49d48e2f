package org.manifoldlab.cli.serve;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.manifoldlab.cli.ExitCodes;
import org.manifoldlab.serve.LabServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab serve [RUNS_DIR] [--port P] [--host H]}: the live pages of a runs directory, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"A web page of every run and sweep under a runs directory, live: states, progress, curves per layer, spectra, attacks.",
                "It only reads the directory. The page has no authentication: it listens on 127.0.0.1 unless --host says otherwise."})
public final class ServeCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "RUNS_DIR", defaultValue = "runs",
            description = "the runs directory (default: ${DEFAULT-VALUE}); it may not exist yet: runs appear when it does")
    Path dir;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8765", description = "the port (default: ${DEFAULT-VALUE}; 0 takes a free one)")
    int port;

    @Option(names = "--host", paramLabel = "H", defaultValue = "127.0.0.1",
            description = "the address to listen on (default: ${DEFAULT-VALUE}, this machine only); another exposes the runs to the network")
    String host;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() throws InterruptedException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            err.println("lab: " + dir + ": not a directory (expected a runs directory)");
            return ExitCodes.BAD_INPUT;
        }
        if (port < 0 || port > 65535) {
            err.println("lab: --port " + port + ": expected 0..65535");
            return ExitCodes.BAD_INPUT;
        }
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                err.println("lab: warning: listening on " + host + ": the page has no authentication; anyone who can reach this address "
                        + "sees every run under " + dir.toAbsolutePath());
            }
        } catch (UnknownHostException e) {
            err.println("lab: --host " + host + ": unknown host");
            return ExitCodes.BAD_INPUT;
        }
        LabServer server;
        try {
            server = LabServer.start(dir, host, port);
        } catch (IOException e) {
            err.println("lab: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        Thread stop = new Thread(server::close, "lab-serve-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        String shown = server.address().getAddress().isAnyLocalAddress() ? "127.0.0.1" : host;
        out.println("Serving " + dir.toAbsolutePath() + " at http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + server.port()
                + "/ (Ctrl-C stops)");
        server.awaitTermination();
        return ExitCodes.OK;
    }
}
