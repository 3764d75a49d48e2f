package org.manifoldlab.cli.analyze;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.manifoldlab.core.spectrum.ProbeRows;

/**
 * Reads a CSV matrix: one sample a line, one unit a column, comma-separated numbers. A first
 * line that is not all numbers is a header and skipped; blank lines are skipped.
 */
public final class CsvMatrix {

    private CsvMatrix() {
    }

    public static ProbeRows read(Path file) throws IOException, MatrixFormatException {
        List<String> lines = Files.readAllLines(file);
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) {
            first++;
        }
        if (first < lines.size() && !numeric(lines.get(first))) {
            first++;
        }
        List<String> data = lines.subList(first, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        if (data.size() < 2) {
            throw new MatrixFormatException("shape " + data.size() + " rows: need at least 2 samples");
        }
        int cols = data.get(0).split(",", -1).length;
        float[] x = new float[data.size() * cols];   // [rows, cols] row-major
        for (int r = 0; r < data.size(); r++) {
            String[] cells = data.get(r).split(",", -1);
            if (cells.length != cols) {
                throw new MatrixFormatException("shape: data row " + (r + 1) + " has " + cells.length + " values, the first has " + cols);
            }
            for (int c = 0; c < cols; c++) {
                double v;
                try {
                    v = Double.parseDouble(cells[c].trim());
                } catch (NumberFormatException e) {
                    throw new MatrixFormatException("'" + cells[c].trim() + "' at data row " + (r + 1) + ", column " + (c + 1) + " is not a number");
                }
                if (!Double.isFinite(v)) {
                    throw new MatrixFormatException(v + " at data row " + (r + 1) + ", column " + (c + 1));
                }
                x[r * cols + c] = (float) v;
            }
        }
        return ProbeRows.wrap(x, data.size(), cols);
    }

    private static boolean numeric(String line) {
        for (String cell : line.split(",", -1)) {
            try {
                Double.parseDouble(cell.trim());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }
}
