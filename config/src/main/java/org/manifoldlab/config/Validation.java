package org.manifoldlab.config;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a spec, each naming the field path and what was expected. */
final class Validation {

    private final List<String> errors = new ArrayList<>();

    void check(boolean ok, String path, String expected, Object got) {
        if (!ok) {
            error(path, expected, got);
        }
    }

    void error(String path, String expected, Object got) {
        errors.add(path + ": expected " + expected + ", got " + SpecBinder.describe(got));
    }

    void raw(String message) {
        errors.add(message);
    }

    List<String> errors() {
        return errors;
    }
}
