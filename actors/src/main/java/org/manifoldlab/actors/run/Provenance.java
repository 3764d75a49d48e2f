package org.manifoldlab.actors.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.manifoldlab.core.Kernels;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What produced a run, for its manifest: the commit the build was made from (and whether its
 * tree had uncommitted changes, both embedded at build time), the versions of Java, Pekko,
 * ND4J and OpenBLAS, the CPU, the thread settings of the kernels, and the command line.
 */
public final class Provenance {

    private Provenance() {
    }

    /** The facts of this process, in a fixed order. */
    public static Map<String, Object> ofThisProcess() {
        Map<String, Object> out = new LinkedHashMap<>();
        Properties git = resource("/org/manifoldlab/actors/git.properties");
        out.put("gitCommit", git.getProperty("git.commit.id", "unknown"));
        out.put("gitDirty", Boolean.parseBoolean(git.getProperty("git.dirty", "false")));
        out.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        out.put("pekko", org.apache.pekko.Version.current());
        out.put("nd4j", resource("/META-INF/maven/org.nd4j/nd4j-api/pom.properties").getProperty("version", "unknown"));
        out.put("openblas", resource("/META-INF/maven/org.bytedeco/openblas/pom.properties").getProperty("version", "unknown"));
        out.put("blas", Nd4j.factory().blas().getBlasVendor().toString());
        out.put("openblasCoretype", System.getenv().getOrDefault("OPENBLAS_CORETYPE", "chosen at run time (DYNAMIC_ARCH)"));
        out.put("cpu", cpuModel());
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("blasThreadsPerCall", Kernels.blasThreads());
        out.put("openblasThreadTimeout", System.getenv().getOrDefault("OPENBLAS_THREAD_TIMEOUT", ""));
        out.put("ompWaitPolicy", System.getenv().getOrDefault("OMP_WAIT_POLICY", ""));
        out.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        out.put("commandLine", commandLine());
        return out;
    }

    /** The build's commit as embedded at build time, or "unknown". */
    public static String buildCommit() {
        return resource("/org/manifoldlab/actors/git.properties").getProperty("git.commit.id", "unknown");
    }

    private static Properties resource(String name) {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream(name)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource reads as unknown
        }
        return p;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable
        }
        return System.getProperty("os.arch");
    }

    private static List<String> commandLine() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        List<String> args = info.arguments().map(List::of).orElse(List.of());
        return info.command().map(c -> {
            List<String> all = new java.util.ArrayList<>();
            all.add(c);
            all.addAll(args);
            return List.copyOf(all);
        }).orElse(args);
    }
}
