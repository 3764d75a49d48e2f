package org.manifoldlab.cli.analyze;

/** A matrix file that cannot be analysed: the message names the problem (shape, dtype, NaN) in one line. */
public final class MatrixFormatException extends Exception {

    public MatrixFormatException(String message) {
        super(message);
    }
}
