package org.manifoldlab.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.manifoldlab.rundir.RunDirectory;

/** JSON for the pages, written with the run directory's own mapper. */
final class RunDirectoryJson {

    private RunDirectoryJson() {
    }

    static String write(Object value) {
        try {
            return RunDirectory.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON of " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    static String error(String message) {
        return write(java.util.Map.of("error", message));
    }
}
