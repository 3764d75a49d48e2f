package org.manifoldlab.cli.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * numpy's .npy format, version 1.0, for float32 matrices in C order: the magic string, a
 * header length, a Python dict literal padded so the data starts on a 64-byte boundary, then
 * the little-endian values. numpy.load reads it as it is.
 */
public final class Npy {

    private Npy() {
    }

    /** Writes values (row-major, rows x cols) as a float32 array of shape (rows, cols). */
    public static void writeFloat32(Path file, float[] values, int rows, int cols) throws IOException {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(values.length + " values are not " + rows + " x " + cols);
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int unpadded = 10 + dict.length() + 1;  // magic (6) + version (2) + header length (2) + dict + newline
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer data = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
            out.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            out.write(data.array());
        }
    }
}
