package org.manifoldlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help, as {@code lab ... --help} prints it, renders without picocli's format
 * warnings: a bare '%' in a description (picocli formats descriptions as format strings) printed
 * a warning on stderr and the raw text.
 */
class HelpTextTest {

    @Test
    void everyCommandsHelpRendersWithoutWarnings() {
        List<List<String>> commands = new ArrayList<>();
        collect(new CommandLine(new Lab()), new ArrayList<>(), commands);
        assertTrue(commands.size() > 10, "the commands found: " + commands);
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            PrintStream err = System.err;
            PrintStream out = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            int exit;
            try {
                System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
                System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
                exit = Lab.execute(args.toArray(String[]::new));
            } finally {
                System.setErr(err);
                System.setOut(out);
            }
            String warnings = captured.toString(StandardCharsets.UTF_8);
            assertEquals(0, exit, args + ": " + warnings);
            assertFalse(warnings.contains("WARN"), args + " warned: " + warnings);
            assertFalse(printed.toString(StandardCharsets.UTF_8).contains("%n"), args + " printed a raw format string");
        }
    }

    private static void collect(CommandLine cli, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        cli.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help") && sub.getCommandName().equals(name)) {  // once per command, not per alias
                List<String> next = new ArrayList<>(path);
                next.add(name);
                collect(sub, next, out);
            }
        });
    }
}
