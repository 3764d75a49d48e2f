package org.manifoldlab.bench;

import java.util.Arrays;
import java.util.function.DoubleSupplier;

/** Warm-up, then repeated measurements; prints min / median / max of a figure. */
public final class Harness {

    private Harness() {
    }

    public record Figure(String name, String unit, double min, double median, double max) {
        @Override
        public String toString() {
            return String.format("%-58s %12.1f %12.1f %12.1f  %s", name, min, median, max, unit);
        }
    }

    /** Runs measure warmups times unrecorded, then repeats times; each call returns one figure. */
    public static Figure measure(String name, String unit, int warmups, int repeats, DoubleSupplier measure) {
        for (int i = 0; i < warmups; i++) {
            measure.getAsDouble();
        }
        double[] values = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            values[i] = measure.getAsDouble();
        }
        Arrays.sort(values);
        Figure f = new Figure(name, unit, values[0], values[repeats / 2], values[repeats - 1]);
        System.out.println(f);
        return f;
    }

    /** The figure of values measured elsewhere (one per repeat); prints it as {@link #measure} does. */
    public static Figure figure(String name, String unit, double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        Figure f = new Figure(name, unit, sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1]);
        System.out.println(f);
        return f;
    }

    /** Little-endian float32 values, as numpy.fromfile reads them. */
    static void writeFloat32(java.nio.file.Path file, float[] values) throws java.io.IOException {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(values.length * Float.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        java.nio.file.Files.write(file, bytes.array());
    }

    public static void header() {
        System.out.printf("%-58s %12s %12s %12s  %s%n", "figure", "min", "median", "max", "unit");
    }
}
