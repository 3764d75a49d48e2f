package org.manifoldlab.cli;

import picocli.CommandLine;

/** The project version, from the jar's manifest (or "dev" when run from classes). */
public final class Version implements CommandLine.IVersionProvider {

    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"manifold-lab " + current()};
    }
}
