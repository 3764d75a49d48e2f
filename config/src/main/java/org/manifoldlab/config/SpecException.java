package org.manifoldlab.config;

import java.util.List;

/** A spec that cannot run: every problem found, each "file: field.path: expected ..., got ...". */
public final class SpecException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public SpecException(String file, List<String> problems) {
        super(String.join("\n", problems.stream().map(p -> file + ": " + p).toList()));
        this.problems = problems.stream().map(p -> file + ": " + p).toList();
    }

    public List<String> problems() {
        return problems;
    }
}
