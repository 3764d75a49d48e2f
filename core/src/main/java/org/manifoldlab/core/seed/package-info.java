/**
 * Every random stream of an experiment, derived from (seed, purpose, index) by a splittable
 * generator: no global random state anywhere. Imports nothing of the project.
 */
package org.manifoldlab.core.seed;
