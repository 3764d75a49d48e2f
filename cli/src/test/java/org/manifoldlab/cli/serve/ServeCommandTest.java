package org.manifoldlab.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.manifoldlab.cli.ExitCodes;
import picocli.CommandLine;

class ServeCommandTest {

    private static int run(ByteArrayOutputStream err, String... args) {
        ServeCommand command = new ServeCommand();
        command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        return new CommandLine(command).execute(args);
    }

    @Test
    void aFileForTheRunsDirectoryIsBadInput(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("runs"), "x");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(ExitCodes.BAD_INPUT, run(err, file.toString(), "--port", "0"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(file + ": not a directory"), err.toString(StandardCharsets.UTF_8));
    }
}
