package org.manifoldlab.report;

/**
 * One plot written twice, {@code <base>.png} and {@code <base>.svg}, in the report folder.
 *
 * @param section where index.html shows it
 * @param caption what it shows and the numbers behind it, in words
 */
record Figure(String section, String base, String title, String caption) {

    String png() {
        return base + ".png";
    }

    String svg() {
        return base + ".svg";
    }
}
