package org.manifoldlab.serve;

/** The answer to a page's question: an HTTP status and a JSON body (for an error, {"error": message}). */
public record Reply(int status, String json) {

    static Reply ok(String json) {
        return new Reply(200, json);
    }

    static Reply notFound(String message) {
        return new Reply(404, RunDirectoryJson.error(message));
    }
}
