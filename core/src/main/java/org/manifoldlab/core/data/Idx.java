package org.manifoldlab.core.data;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The IDX format of MNIST: two zero bytes, a type byte (0x08 = unsigned byte), the number of
 * dimensions, one big-endian int per dimension, then the data. Files may be gzipped. Reading
 * checks the magic, the dimensions, and that the file holds exactly the bytes its header promises.
 */
public final class Idx {

    private static final int UBYTE = 0x08;

    private Idx() {
    }

    /** Images as unsigned bytes, row-major [count, rows, cols]. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
        public int pixelsPerImage() {
            return rows * cols;
        }
    }

    public static Images readImages(Path file) throws IOException {
        return parseImages(file.toString(), Files.readAllBytes(file));
    }

    public static byte[] readLabels(Path file) throws IOException {
        return parseLabels(file.toString(), Files.readAllBytes(file));
    }

    public static Images parseImages(String name, byte[] raw) throws IOException {
        ByteBuffer in = open(name, raw, 3, "images (0x00000803)");
        int count = in.getInt();
        int rows = in.getInt();
        int cols = in.getInt();
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new IdxFormatException(name, "bad dimensions " + count + " x " + rows + " x " + cols);
        }
        long expected = (long) count * rows * cols;
        byte[] pixels = body(name, in, expected);
        return new Images(count, rows, cols, pixels);
    }

    public static byte[] parseLabels(String name, byte[] raw) throws IOException {
        ByteBuffer in = open(name, raw, 1, "labels (0x00000801)");
        int count = in.getInt();
        if (count < 0) {
            throw new IdxFormatException(name, "negative label count " + count);
        }
        return body(name, in, count);
    }

    public static void writeImages(Path file, Images images, boolean gzip) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(16);
        header.putInt(0x00000803).putInt(images.count()).putInt(images.rows()).putInt(images.cols());
        write(file, header.array(), images.pixels(), gzip);
    }

    public static void writeLabels(Path file, byte[] labels, boolean gzip) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(8);
        header.putInt(0x00000801).putInt(labels.length);
        write(file, header.array(), labels, gzip);
    }

    private static ByteBuffer open(String name, byte[] raw, int dims, String what) throws IOException {
        byte[] bytes = isGzip(raw) ? gunzip(name, raw) : raw;
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int expected = (UBYTE << 8) | dims;
        int magic = bytes.length >= 4 ? in.getInt() : -1;
        if (magic != expected) {
            throw new IdxFormatException(name, bytes.length < 4 ? "empty or shorter than an IDX magic number"
                    : String.format("wrong magic number 0x%08X; expected 0x%08X for %s", magic, expected, what));
        }
        if (bytes.length < 4 + 4 * dims) {
            throw new IdxFormatException(name, "truncated: " + bytes.length + " bytes is shorter than an IDX header");
        }
        return in;
    }

    private static byte[] body(String name, ByteBuffer in, long expected) throws IOException {
        long actual = in.remaining();
        if (actual < expected) {
            throw new IdxFormatException(name, "truncated: header promises " + expected
                    + " data bytes, file holds " + actual);
        }
        if (actual > expected) {
            throw new IdxFormatException(name, (actual - expected) + " bytes after the "
                    + expected + " data bytes the header promises");
        }
        byte[] out = new byte[(int) expected];
        in.get(out);
        return out;
    }

    private static boolean isGzip(byte[] raw) {
        return raw.length >= 2 && (raw[0] & 0xFF) == 0x1F && (raw[1] & 0xFF) == 0x8B;
    }

    private static byte[] gunzip(String name, byte[] raw) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IdxFormatException(name, "corrupt or truncated gzip stream (" + e.getMessage() + ")");
        }
    }

    private static void write(Path file, byte[] header, byte[] body, boolean gzip) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(header.length + body.length);
        try (OutputStream out = gzip ? new GZIPOutputStream(buffer) : buffer) {
            out.write(header);
            out.write(body);
        }
        Files.write(file, buffer.toByteArray());
    }
}
