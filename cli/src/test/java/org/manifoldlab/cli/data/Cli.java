package org.manifoldlab.cli.data;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.manifoldlab.cli.ExitCodes;
import org.manifoldlab.cli.Lab;
import picocli.CommandLine;

/** Runs commands with captured output: through {@link Lab#execute}, or {@code lab data} with another digest table. */
final class Cli {

    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private Cli() {
    }

    /** {@code lab ARGS} exactly as the launcher runs it (System.out and System.err captured). */
    static synchronized Run lab(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = Lab.execute(args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** {@code lab data ARGS} whose fetch uses {@code table} and short timings (Lab's exit-code rules). */
    static Run data(Map<String, KnownDataSets.DataSet> table, Duration stallTimeout, String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == DataFetchCommand.class) {
                    return type.cast(new DataFetchCommand(table, stallTimeout, Duration.ZERO));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        CommandLine cli = new CommandLine(new DataCommand(), factory);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExitCodeExceptionMapper(ex -> ExitCodes.BAD_INPUT);
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
