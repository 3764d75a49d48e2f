/**
 * The experiment spec: records read from YAML or JSON with bounds against hostile input,
 * defaults, validation that names every problem at once, and sweep expansion. Depends on Jackson
 * and SnakeYAML only: nothing of core, actors or cli, no ND4J, no Pekko.
 */
package org.manifoldlab.config;
