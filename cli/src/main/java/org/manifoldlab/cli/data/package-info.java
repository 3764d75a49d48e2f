/**
 * lab data info, import and fetch: inventories of IDX directories, checked imports with a
 * PROVENANCE file, and verified, resumable downloads. Must not import actors.
 */
package org.manifoldlab.cli.data;
