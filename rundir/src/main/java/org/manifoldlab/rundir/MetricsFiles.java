package org.manifoldlab.rundir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Row counts and truncation of the long-form metrics CSVs (a header line, then one row a line). */
public final class MetricsFiles {

    private MetricsFiles() {
    }

    /** Data rows (lines after the header); 0 for a missing or empty file. */
    public static long dataRows(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        long lines = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            while (in.readLine() != null) {
                lines++;
            }
        }
        return Math.max(0, lines - 1);
    }

    /** Keeps the header and the first {@code rows} data rows; drops everything after (a torn last line too). */
    public static void truncate(Path file, long rows) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        long keepLines = rows + 1;
        long offset = 0;
        long lines = 0;
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < bytes.length && lines < keepLines; i++) {
            if (bytes[i] == '\n') {
                lines++;
                offset = i + 1;
            }
        }
        if (rows == 0 && lines == 0) {
            offset = 0;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(offset);
        }
    }
}
