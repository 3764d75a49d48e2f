/**
 * Data sets and their files: the IDX format (raw or gzipped, every size checked), the embedded
 * MNIST-10k with its checksums, seeded splits, epoch orders and probe samples. Imports nothing of
 * the project's other packages.
 */
package org.manifoldlab.core.data;
