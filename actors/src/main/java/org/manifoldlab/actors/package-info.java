/**
 * The running system on Apache Pekko typed actors; the root holds what every package below
 * shares (the compute dispatcher, the probe chunk). No package of actors imports cli or bench.
 */
package org.manifoldlab.actors;
