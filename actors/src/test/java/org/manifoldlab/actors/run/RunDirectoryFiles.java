package org.manifoldlab.actors.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The metrics files of a run, by name, for comparing two runs byte for byte. */
final class RunDirectoryFiles {

    private RunDirectoryFiles() {
    }

    static Map<String, String> metrics(Path runDir) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (var files = Files.list(runDir.resolve("metrics"))) {
            for (Path p : files.sorted().toList()) {
                out.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return out;
    }
}
