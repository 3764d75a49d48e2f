package org.manifoldlab.cli.analyze;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.manifoldlab.core.spectrum.ProbeRows;

/**
 * Reads a 2-D float32 or float64 array from numpy's .npy format (versions 1 to 3): the magic
 * "\x93NUMPY", a version, a header length (uint16 in v1, uint32 after), a Python dict literal
 * {'descr': '<f4', 'fortran_order': False, 'shape': (rows, cols)}, then the raw values, in C
 * (row-major) or Fortran (column-major) order. Values become float rows [rows, cols]
 * (float64 is rounded to float32: the covariance is then accumulated in double).
 */
public final class NpyReader {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyReader() {
    }

    public static ProbeRows read(Path file) throws IOException, MatrixFormatException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        for (byte m : MAGIC) {
            if (!b.hasRemaining() || b.get() != m) {
                throw new MatrixFormatException("not a .npy file (no \\x93NUMPY magic)");
            }
        }
        if (b.remaining() < 4) {
            throw new MatrixFormatException("truncated .npy header");
        }
        int major = b.get() & 0xFF;
        b.get();
        if (major < 1 || major > 3) {
            throw new MatrixFormatException(".npy version " + major + " is not 1, 2 or 3");
        }
        long headerLength = major == 1 ? (b.getShort() & 0xFFFF) : (b.getInt() & 0xFFFFFFFFL);
        if (headerLength > b.remaining()) {
            throw new MatrixFormatException("truncated .npy header (" + headerLength + " bytes announced)");
        }
        byte[] headerBytes = new byte[(int) headerLength];
        b.get(headerBytes);
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, "descr");
        boolean fortran = group(FORTRAN, header, "fortran_order").equals("True");
        String[] dims = group(SHAPE, header, "shape").split(",");
        long[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        if (shape.length != 2) {
            throw new MatrixFormatException("shape " + java.util.Arrays.toString(shape) + " is not 2-D [samples, units]");
        }
        if (shape[0] < 2 || shape[1] < 1 || shape[0] * shape[1] > Integer.MAX_VALUE) {
            throw new MatrixFormatException("shape " + shape[0] + " x " + shape[1] + ": need at least 2 samples and 1 unit");
        }
        int size;
        if (descr.equals("<f4") || descr.equals(">f4")) {
            size = 4;
        } else if (descr.equals("<f8") || descr.equals(">f8")) {
            size = 8;
        } else {
            throw new MatrixFormatException("dtype '" + descr + "' is not float32 or float64");
        }
        b.order(descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        if ((long) rows * cols * size != b.remaining()) {
            throw new MatrixFormatException("shape " + rows + " x " + cols + " of " + descr + " needs " + (long) rows * cols * size
                    + " bytes of data, the file has " + b.remaining());
        }
        float[] x = new float[rows * cols];   // [rows, cols] row-major
        for (int k = 0; k < x.length; k++) {
            double v = size == 4 ? b.getFloat() : b.getDouble();
            int r = fortran ? k % rows : k / cols;
            int c = fortran ? k / rows : k % cols;
            if (!Double.isFinite(v)) {
                throw new MatrixFormatException(v + " at row " + r + ", column " + c + " (from 0)");
            }
            x[r * cols + c] = (float) v;
        }
        return ProbeRows.wrap(x, rows, cols);
    }

    private static String group(Pattern p, String header, String key) throws MatrixFormatException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new MatrixFormatException(".npy header has no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }
}
