package org.manifoldlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The architecture as a test: reads the imports of every main source file of the reactor and
 * fails on any that a package's package-info says it must not make. Rules name a package prefix
 * and the import prefixes forbidden in it.
 */
class ImportRulesTest {

    private static final Map<String, List<String>> FORBIDDEN = Map.ofEntries(
            Map.entry("org.manifoldlab.core", List.of("org.manifoldlab.config", "org.manifoldlab.rundir", "org.manifoldlab.actors",
                    "org.manifoldlab.report", "org.manifoldlab.cli", "org.manifoldlab.bench", "org.apache.pekko", "picocli")),
            Map.entry("org.manifoldlab.config", List.of("org.manifoldlab.core", "org.manifoldlab.rundir", "org.manifoldlab.actors",
                    "org.manifoldlab.report", "org.manifoldlab.cli", "org.manifoldlab.bench", "org.apache.pekko", "org.nd4j")),
            Map.entry("org.manifoldlab.actors", List.of("org.manifoldlab.cli", "org.manifoldlab.bench", "picocli")),
            Map.entry("org.manifoldlab.actors.training", List.of("org.manifoldlab.actors.run", "org.manifoldlab.actors.analysis",
                    "org.manifoldlab.actors.attack", "org.manifoldlab.actors.cluster")),
            Map.entry("org.manifoldlab.actors.monitor", List.of("org.manifoldlab.actors.run", "org.manifoldlab.actors.analysis",
                    "org.manifoldlab.actors.attack", "org.manifoldlab.actors.cluster", "org.manifoldlab.actors.training")),
            Map.entry("org.manifoldlab.actors.run", List.of("org.manifoldlab.actors.cluster")),
            Map.entry("org.manifoldlab.actors.analysis", List.of("org.manifoldlab.actors.cluster")),
            Map.entry("org.manifoldlab.actors.attack", List.of("org.manifoldlab.actors.cluster", "org.manifoldlab.actors.analysis")),
            Map.entry("org.manifoldlab.bench", List.of("org.manifoldlab.cli")),
            Map.entry("org.manifoldlab.cli.data", List.of("org.manifoldlab.actors", "org.apache.pekko")),
            Map.entry("org.manifoldlab.rundir", List.of("org.manifoldlab.core", "org.manifoldlab.actors", "org.manifoldlab.report",
                    "org.manifoldlab.cli", "org.manifoldlab.bench", "org.apache.pekko", "org.nd4j")),
            Map.entry("org.manifoldlab.report", List.of("org.manifoldlab.actors", "org.manifoldlab.cli", "org.manifoldlab.bench",
                    "org.apache.pekko")),
            Map.entry("org.manifoldlab.cli.report", List.of("org.apache.pekko")),
            Map.entry("org.manifoldlab.cli.status", List.of("org.apache.pekko")),
            Map.entry("org.manifoldlab.serve", List.of("org.manifoldlab.core", "org.manifoldlab.config", "org.manifoldlab.actors",
                    "org.manifoldlab.report", "org.manifoldlab.cli", "org.manifoldlab.bench", "org.nd4j")),
            Map.entry("org.manifoldlab.cli.serve", List.of("org.manifoldlab.actors")));

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)[\\w.*]*;", Pattern.MULTILINE);
    /** Fully qualified names used in code without an import, e.g. org.manifoldlab.actors.Compute.DISPATCHER. */
    private static final Pattern QUALIFIED = Pattern.compile("\\b(org\\.(?:manifoldlab|apache\\.pekko|nd4j)\\.[\\w.]+)");

    private static List<Path> mainSources() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> out = new ArrayList<>();
        for (String module : List.of("core", "config", "rundir", "actors", "report", "serve", "bench", "cli")) {
            try (Stream<Path> files = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(out::add);
            }
        }
        return out;
    }

    @Test
    void noPackageImportsWhatItsPackageInfoForbids() throws IOException {
        List<String> violations = new ArrayList<>();
        List<Path> sources = mainSources();
        assertTrue(sources.size() > 100, "found the reactor's sources: " + sources.size());
        for (Path file : sources) {
            String text = Files.readString(file);
            Matcher pkg = PACKAGE.matcher(text);
            if (!pkg.find()) {
                continue;
            }
            String own = pkg.group(1);
            List<String> used = new ArrayList<>();
            for (Matcher m = IMPORT.matcher(text); m.find(); ) {
                used.add(m.group(1));
            }
            String code = text.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
            for (Matcher m = QUALIFIED.matcher(code); m.find(); ) {
                if (!code.substring(Math.max(0, m.start() - 8), m.start()).contains("package")) {
                    used.add(m.group(1));
                }
            }
            for (Map.Entry<String, List<String>> rule : FORBIDDEN.entrySet()) {
                if (!(own.equals(rule.getKey()) || own.startsWith(rule.getKey() + "."))) {
                    continue;
                }
                for (String name : used) {
                    for (String banned : rule.getValue()) {
                        if ((name.equals(banned) || name.startsWith(banned + ".")) && !name.startsWith(own + ".")) {
                            violations.add(file.getFileName() + " (" + own + ") uses " + name);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations.stream().distinct().toList());
    }

    @Test
    void everyPackageSaysWhatLivesThere() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path file : mainSources()) {
            if (!Files.exists(file.resolveSibling("package-info.java"))) {
                missing.add(file.getParent().toString());
            }
        }
        assertEquals(List.of(), missing.stream().distinct().toList());
    }
}
