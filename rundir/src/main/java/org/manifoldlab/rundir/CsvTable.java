package org.manifoldlab.rundir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A long-form CSV file as the run store writes it: one header row, then one measurement a row,
 * comma separated, no quoting needed (fields are numbers or plain words). Numbers may be
 * {@code NaN}, {@code inf}, {@code -inf} (or Java's {@code Infinity}). Columns are found by name,
 * so their order does not matter and extra columns are ignored.
 */
public final class CsvTable {

    private final Path file;
    private final Map<String, Integer> columns;
    private final List<String[]> rows;

    private CsvTable(Path file, Map<String, Integer> columns, List<String[]> rows) {
        this.file = file;
        this.columns = columns;
        this.rows = rows;
    }

    /** The file's lines as UTF-8; bytes that are not (a binary file, say) are named by line and column. */
    static List<String> lines(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        java.nio.charset.CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder();
        try {
            return strict.decode(java.nio.ByteBuffer.wrap(bytes)).toString().lines().toList();
        } catch (java.nio.charset.CharacterCodingException e) {
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
            java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
            strict.reset().decode(in, out, true);  // stops at the first bad byte
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new FormatException(file + ": line " + line + ", column " + (at - lineStart + 1)
                    + ": not UTF-8 text (byte 0x" + String.format("%02X", bytes[at] & 0xFF) + "); is it a CSV file?");
        }
    }

    /** The table of {@code file}, or an empty table when the file does not exist or is empty. */
    public static CsvTable read(Path file, List<String> required) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new CsvTable(file, Map.of(), List.of());
        }
        List<String> lines = lines(file);
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            return new CsvTable(file, Map.of(), List.of());
        }
        String[] header = split(lines.get(0));
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            columns.put(header[i], i);
        }
        for (String name : required) {
            if (!columns.containsKey(name)) {
                throw new FormatException(file + ": no column '" + name + "' (header: " + lines.get(0).trim() + ")");
            }
        }
        List<String[]> rows = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            String[] fields = split(line);
            if (fields.length < header.length) {
                // a run that is still writing may leave a partial last line: skip it, fail on any other
                if (n == lines.size() - 1) {
                    continue;
                }
                throw new FormatException(file + ":" + (n + 1) + ": " + fields.length + " fields, the header has " + header.length);
            }
            rows.add(fields);
        }
        return new CsvTable(file, columns, rows);
    }

    /** The column names in the file's order. */
    public List<String> columns() {
        String[] names = new String[columns.size()];
        columns.forEach((name, i) -> names[i] = name);
        return List.of(names);
    }

    public boolean has(String column) {
        return columns.containsKey(column);
    }

    public int size() {
        return rows.size();
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public String text(int row, String column) {
        return rows.get(row)[index(column)];
    }

    public double number(int row, String column) {
        String s = text(row, column);
        try {
            return parseNumber(s);
        } catch (NumberFormatException e) {
            throw new FormatException(file + ":" + (row + 2) + ": column '" + column + "' is not a number: '" + s + "'");
        }
    }

    public int integer(int row, String column) {
        double d = number(row, column);
        if (d != Math.rint(d) || Double.isInfinite(d)) {
            throw new FormatException(file + ":" + (row + 2) + ": column '" + column + "' is not an integer: '" + text(row, column) + "'");
        }
        return (int) d;
    }

    /** 1.5, 1e-3, NaN, nan, inf, -inf, Infinity, -Infinity; an empty field is NaN (not measured). */
    static double parseNumber(String s) {
        String t = s.trim();
        switch (t.toLowerCase()) {
            case "", "nan" -> {
                return Double.NaN;
            }
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                return Double.parseDouble(t);
            }
        }
    }

    private int index(String column) {
        Integer i = columns.get(column);
        if (i == null) {
            throw new FormatException(file + ": no column '" + column + "'");
        }
        return i;
    }

    private static String[] split(String line) {
        String[] fields = line.split(",", -1);
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i].trim();
            if (f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")) {
                f = f.substring(1, f.length() - 1);
            }
            fields[i] = f;
        }
        return fields;
    }
}
