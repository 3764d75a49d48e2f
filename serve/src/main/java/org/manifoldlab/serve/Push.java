package org.manifoldlab.serve;

/**
 * One server-sent event for an open page: its type (snapshot, run, removed, detail, event,
 * summary, problem) and its data, JSON already written (a page's stream sends it as it is).
 */
public record Push(String type, String json) {

    /** Ends a page's stream: the server is stopping. */
    static final Push END = new Push("end", "{}");
}
