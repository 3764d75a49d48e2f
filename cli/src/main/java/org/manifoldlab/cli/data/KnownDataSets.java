package org.manifoldlab.cli.data;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data sets {@code lab data fetch} knows: where each is published and what its four files must be.
 *
 * <p>Which digest, and why:
 * <ul>
 *   <li><b>Fashion-MNIST: SHA-256</b>, derived here rather than copied. Debian's
 *       dataset-fashion-mnist (/usr/share/datasets/fashion-mnist) ships the upstream deflate streams
 *       but its build normalised the gzip headers (the original-name field removed, the mtime set to
 *       the package's changelog date), so those files are 23-24 bytes shorter than zalando's and their
 *       MD5s do NOT agree with zalando's published ones. Restoring the header (flag FNAME, the
 *       original name, mtime 2017-08-31 10:50:06 UTC for train-*, 10:50:27 UTC for t10k-*, XFL 0,
 *       OS 3) gives files whose MD5s agree with zalando's published MD5s for all four files
 *       (8d4fb7e6..., 25c81989..., bef4ecab..., bb300cfd...) and whose SHA-256s, listed below,
 *       also agree with those TensorFlow Datasets publishes for the same files. FetchKnownDataSetsTest
 *       redoes this derivation wherever the Debian package is installed.</li>
 *   <li><b>MNIST: MD5</b>, the digests published with the mirror we default to (torchvision's
 *       resource table) and the ones quoted everywhere. We have no local copy of the full MNIST to
 *       derive a stronger digest from, so we use MD5 as published. MD5 catches truncation and
 *       corruption; it is no defence against a deliberately substituted file (MD5 collisions are
 *       practical), so fetch it over HTTPS from a mirror you trust.</li>
 * </ul>
 * Sizes are the published sizes of the same files; a size disagreement is reported before any
 * digest is computed.
 */
final class KnownDataSets {

    /** A data set: its name for {@code lab data fetch}, the base URL of its files, and the files. */
    record DataSet(String name, URI defaultBase, List<ExpectedFile> files) {
        DataSet {
            files = List.copyOf(files);
        }
    }

    static final DataSet FASHION_MNIST = new DataSet("fashion-mnist",
            URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
            List.of(ExpectedFile.sha256("train-images-idx3-ubyte.gz", 26_421_880,
                            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
                    ExpectedFile.sha256("train-labels-idx1-ubyte.gz", 29_515,
                            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
                    ExpectedFile.sha256("t10k-images-idx3-ubyte.gz", 4_422_102,
                            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
                    ExpectedFile.sha256("t10k-labels-idx1-ubyte.gz", 5_148,
                            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5")));

    static final DataSet MNIST = new DataSet("mnist",
            URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
            List.of(ExpectedFile.md5("train-images-idx3-ubyte.gz", 9_912_422, "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
                    ExpectedFile.md5("train-labels-idx1-ubyte.gz", 28_881, "d53e105ee54ea40749a09fcbcd1e9432"),
                    ExpectedFile.md5("t10k-images-idx3-ubyte.gz", 1_648_877, "9fb629c4189551a2d022fa330f9573f3"),
                    ExpectedFile.md5("t10k-labels-idx1-ubyte.gz", 4_542, "ec29112dd5afa0611ce80d1b7f02629c")));

    /** Zalando's published MD5s of the Fashion-MNIST files (README of zalandoresearch/fashion-mnist). */
    static final Map<String, String> FASHION_MNIST_PUBLISHED_MD5 = Map.of(
            "train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe",
            "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79",
            "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310");

    private KnownDataSets() {
    }

    /** The table {@code lab data fetch} uses, by name, in the order its help lists them. */
    static Map<String, DataSet> table() {
        Map<String, DataSet> table = new LinkedHashMap<>();
        table.put(MNIST.name(), MNIST);
        table.put(FASHION_MNIST.name(), FASHION_MNIST);
        return table;
    }
}
