package org.manifoldlab.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The fingerprint is the SHA-256 of every layer's W, b and B as little-endian values in 'c' order, computed here the plain way. */
class FingerprintTest {

    @Test
    void theFingerprintIsTheDigestOfTheWeightsAsLittleEndianValues() throws Exception {
        // 300 x 250 floats is more than one of the fingerprint's chunks; the double network too
        Network.Shape shape = new Network.Shape(300, new int[] {250, 40}, 10, Activation.RELU, 1.0);
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Network network = Network.create(shape, new Adam(1e-3), type, 11);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (LocalLayer layer : network.layers()) {
                for (INDArray a : new INDArray[] {layer.dense().w(), layer.dense().b(), layer.readout().matrix()}) {
                    INDArray c = a.dup('c');
                    ByteBuffer bytes = ByteBuffer.allocate((int) c.length() * (type == DataType.FLOAT ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
                    for (long i = 0; i < c.length(); i++) {
                        if (type == DataType.FLOAT) {
                            bytes.putFloat(c.getFloat(i));
                        } else {
                            bytes.putDouble(c.getDouble(i));
                        }
                    }
                    digest.update(bytes.array());
                }
            }
            assertEquals(HexFormat.of().formatHex(digest.digest()), network.fingerprint(), type.toString());
        }
    }
}
