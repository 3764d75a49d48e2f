/**
 * The numerics of the project with no actors, no files but data: kernel settings shared by the
 * packages below (data, nn, spectrum, attack, stats, seed). Imports nothing of the project's other
 * modules and no Pekko, so a test or a notebook can train and analyse a network in a plain loop.
 */
package org.manifoldlab.core;
