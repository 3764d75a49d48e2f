package org.manifoldlab.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Spec enums are written and read in lower case, '_' as '-': relu, local, adam, fixed-readout. */
public interface SpecEnum {

    String name();

    @JsonValue
    default String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
